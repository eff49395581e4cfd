using System.CommandLine;
using Qlip.Data.Images;
using static TorchSharp.torch;

namespace Qlip.Cli.Commands;

/// <summary>`qlip detokenize IDS.json --checkpoint C --out x.png`: ids → images through MLP up and the pixel decoder.</summary>
internal static class DetokenizeCommand
{
    public static Command Create()
    {
        var pipeline = new PipelineArguments();
        var idsFile = new Argument<FileInfo>("ids") { Description = "JSON written by `qlip tokenize`" };
        var output = new Option<FileInfo>("--out")
        {
            Description = "PNG to write; with several images, NAME-0.png, NAME-1.png, …",
            Required = true,
        };
        var command = new Command("detokenize", "Decode BSQ token ids back into PNG images.") { idsFile, output };
        foreach (var option in pipeline.All) command.Options.Add(option);
        command.SetAction(parse => PipelineArguments.Run(() =>
        {
            var path = parse.GetValue(idsFile)!.FullName;
            var file = TokenIdsFile.Read(path);
            using var qlip = pipeline.Load(parse);
            if (file.Bits != qlip.Bits)
                throw new InvalidDataException($"{path}: ids have {file.Bits} bits but the checkpoint's quantizer has {qlip.Bits}");
            var first = file.Images[0];
            if (file.Images.Any(i => i.Height != first.Height || i.Width != first.Width))
                throw new InvalidDataException($"{path}: images have different grids");
            var data = file.Images.SelectMany(i => i.Ids.SelectMany(row => row)).ToArray();
            using var ids = tensor(data, [file.Images.Count, first.Height, first.Width]); // (B, h, w)
            var images = qlip.DecodeImages(ids);
            var target = parse.GetValue(output)!.FullName;
            for (var i = 0; i < images.Count; i++)
            {
                var name = images.Count == 1 ? target
                    : Path.Combine(Path.GetDirectoryName(target)!, $"{Path.GetFileNameWithoutExtension(target)}-{i}{Path.GetExtension(target)}");
                File.WriteAllBytes(name, ImageEncoder.EncodePng(images[i]));
                Console.WriteLine($"wrote {name} ({images[i].Width}×{images[i].Height})");
            }
            return 0;
        }));
        return command;
    }
}
