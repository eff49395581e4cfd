using System.CommandLine;
using System.Globalization;
using Qlip.ML.Text;

namespace Qlip.Cli.Commands;

/// <summary>`qlip zeroshot IMG... --labels "a,b,c" --checkpoint C`: the most probable labels per image (CLIP prompt ensembling).</summary>
internal static class ZeroShotCommand
{
    public static Command Create()
    {
        var pipeline = new PipelineArguments();
        var images = new Argument<FileInfo[]>("images") { Description = "Image files", Arity = ArgumentArity.OneOrMore };
        var labels = new Option<string>("--labels") { Description = "Comma-separated class names", Required = true };
        var templates = new Option<string[]>("--template")
        {
            Description = "Prompt template with {} (repeatable); default: a set of CLIP-style photo templates",
            AllowMultipleArgumentsPerToken = false,
        };
        var top = new Option<int>("--top") { Description = "Labels to print per image", DefaultValueFactory = _ => 5 };
        var command = new Command("zeroshot", "Zero-shot classification: per image, labels with probabilities.") { images, labels, templates, top };
        foreach (var option in pipeline.All) command.Options.Add(option);
        command.SetAction(parse => PipelineArguments.Run(() =>
        {
            var names = parse.GetValue(labels)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (names.Length == 0) throw new ArgumentException("--labels has no class names");
            var prompts = parse.GetValue(templates) is { Length: > 0 } given ? given : PromptTemplates.Default;
            var files = parse.GetValue(images)!;
            var decoded = PipelineArguments.ReadImages(files);
            using var qlip = pipeline.Load(parse);
            var results = qlip.ZeroShot(decoded, names, prompts, parse.GetValue(top));
            for (var i = 0; i < files.Length; i++)
            {
                Console.WriteLine(files[i].Name);
                foreach (var r in results[i])
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {r.Probability,7:P1}  {r.Label}"));
            }
            return 0;
        }));
        return command;
    }
}
