using System.CommandLine;

namespace Qlip.Cli.Commands;

/// <summary>`qlip tokenize IMG... --checkpoint C`: images → BSQ ids as JSON (per image its grid and ids, row-major).</summary>
internal static class TokenizeCommand
{
    public static Command Create()
    {
        var pipeline = new PipelineArguments();
        var images = new Argument<FileInfo[]>("images") { Description = "Image files (JPEG, PNG, WebP, …)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<FileInfo?>("--out") { Description = "Write the JSON here instead of standard output" };
        var command = new Command("tokenize", "Encode images into BSQ token ids (JSON: bits, and per image height, width, ids).") { images, output };
        foreach (var option in pipeline.All) command.Options.Add(option);
        command.SetAction(parse => PipelineArguments.Run(() =>
        {
            var files = parse.GetValue(images)!;
            var decoded = PipelineArguments.ReadImages(files);
            using var qlip = pipeline.Load(parse);
            var tokens = qlip.Encode(decoded);
            using var ids = tokens.Ids;
            var entries = files.Select((f, i) =>
            {
                var flat = tokens.IdsOf(i);
                var rows = Enumerable.Range(0, tokens.GridHeight).Select(r => flat[(r * tokens.GridWidth)..((r + 1) * tokens.GridWidth)]).ToList();
                return new TokenIdsImage(f.Name, tokens.GridHeight, tokens.GridWidth, rows);
            }).ToList();
            var json = new TokenIdsFile(tokens.Bits, entries).ToJson();
            if (parse.GetValue(output) is { } path) File.WriteAllText(path.FullName, json + "\n");
            else Console.WriteLine(json);
            return 0;
        }));
        return command;
    }
}
