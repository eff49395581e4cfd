using System.CommandLine;
using Qlip.Data.Images;
using Qlip.Data.Sets;
using Qlip.ML.Inference;

namespace Qlip.Cli.Commands;

/// <summary>The options every checkpoint command shares (--checkpoint, --device, --batch-size) and their error handling.</summary>
internal sealed class PipelineArguments
{
    public Option<DirectoryInfo> Checkpoint { get; } = new("--checkpoint")
    {
        Description = "Checkpoint directory: config.json + model.safetensors (ours, `qlip model init`, or a published QLIP one)",
        Required = true,
    };

    public Option<string> Device { get; } = new("--device")
    {
        Description = "cpu | cuda | cuda:N",
        DefaultValueFactory = _ => "cpu",
    };

    public Option<int> BatchSize { get; } = new("--batch-size")
    {
        Description = "Images per forward pass",
        DefaultValueFactory = _ => 32,
    };

    public IEnumerable<Option> All => [Checkpoint, Device, BatchSize];

    public QlipPipeline Load(ParseResult parse) => QlipPipeline.Load(parse.GetValue(Checkpoint)!.FullName,
        new QlipPipelineOptions { Device = parse.GetValue(Device)!, BatchSize = parse.GetValue(BatchSize) });

    /// <summary>Decodes each image file; a bad one is an error naming the file.</summary>
    public static IReadOnlyList<RgbImage> ReadImages(IEnumerable<FileInfo> files) =>
        [.. files.Select(f =>
        {
            if (!f.Exists) throw new FileNotFoundException($"image {f.FullName} does not exist", f.FullName);
            try
            {
                return ImageDecoder.Decode(File.ReadAllBytes(f.FullName));
            }
            catch (ImageDecodeException e)
            {
                throw new InvalidDataException($"{f.FullName}: {e.Message}", e);
            }
        })];

    /// <summary>Runs <paramref name="body"/>; expected failures (missing files, bad input) print one line and return 1.</summary>
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException or ArgumentException
            or DataNotFoundException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
