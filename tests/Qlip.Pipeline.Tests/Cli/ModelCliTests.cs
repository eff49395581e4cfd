using System.Text.Json;
using Qlip.Data.Images;
using Qlip.Data.Sets;
using Qlip.ML.Configs;
using Qlip.ML.Inference;
using Qlip.Testing.Data;

namespace Qlip.Pipeline.Tests.Cli;

/// <summary>The built `qlip`: `model init`, `tokenize`, `detokenize`, `zeroshot` and `model info` on a real photo.</summary>
public sealed class ModelCliTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("qlip-cli-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static string DarknetPhoto() =>
        Directory.GetFiles(DataPaths.Require(RealData.Paths.DarknetPhotos, "darknet photos"), "*.jpg").Order(StringComparer.Ordinal).First();

    private static Task<(int ExitCode, string Stdout, string Stderr)> Run(params string[] args) =>
        QlipProcess.RunAsync(new Dictionary<string, string>(), args);

    [Fact]
    public async Task Tokenize_then_detokenize_a_real_photo_writes_the_decoded_png()
    {
        var photo = DarknetPhoto();
        var checkpoint = Path.Combine(directory, "ckpt");
        var ids = Path.Combine(directory, "ids.json");
        var png = Path.Combine(directory, "x.png");

        Assert.Equal(0, (await Run("model", "init", "--preset", "tiny", "--out", checkpoint)).ExitCode);
        var tokenize = await Run("tokenize", photo, "--checkpoint", checkpoint, "--out", ids);
        Assert.True(tokenize.ExitCode == 0, tokenize.Stderr);
        var detokenize = await Run("detokenize", ids, "--checkpoint", checkpoint, "--out", png);
        Assert.True(detokenize.ExitCode == 0, detokenize.Stderr);

        using var json = JsonDocument.Parse(File.ReadAllText(ids));
        Assert.Equal(28, json.RootElement.GetProperty("bits").GetInt32());
        var image = Assert.Single(json.RootElement.GetProperty("images").EnumerateArray());
        Assert.Equal(Path.GetFileName(photo), image.GetProperty("file").GetString());
        Assert.Equal(4, image.GetProperty("height").GetInt32());
        var grid = image.GetProperty("ids").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt64()).ToArray()).ToArray();
        Assert.Equal(4, grid.Length);
        Assert.All(grid, row => Assert.Equal(4, row.Length));

        // The same ids and PNG as the API gives for the same checkpoint and photo.
        using var qlip = QlipPipeline.Load(checkpoint);
        var decodedPhoto = ImageDecoder.Decode(File.ReadAllBytes(photo));
        using var expectedIds = qlip.Encode([decodedPhoto]).Ids;
        Assert.Equal(expectedIds.flatten().data<long>().ToArray(), grid.SelectMany(r => r).ToArray());
        var written = ImageDecoder.Decode(File.ReadAllBytes(png));
        Assert.Equal((32, 32), (written.Width, written.Height));
        Assert.Equal(qlip.DecodeImages(expectedIds)[0].Pixels, written.Pixels);
    }

    [Fact]
    public async Task Zeroshot_prints_every_label_with_probabilities_summing_to_one()
    {
        var photo = DarknetPhoto();
        var checkpoint = Path.Combine(directory, "ckpt");
        Assert.Equal(0, (await Run("model", "init", "--preset", "tiny", "--out", checkpoint)).ExitCode);

        var run = await Run("zeroshot", photo, "--labels", "dog, eagle,horse", "--checkpoint", checkpoint);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Path.GetFileName(photo), lines[0]);
        var rows = lines[1..].Select(l => l.Trim().Split("%", 2)).ToList();
        Assert.Equal(["dog", "eagle", "horse"], rows.Select(r => r[1].Trim()).Order());
        Assert.InRange(rows.Sum(r => double.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture)), 99.8, 100.2);
    }

    [Fact]
    public async Task Model_info_counts_the_published_size_and_unknown_presets_list_the_valid_ones()
    {
        var info = await Run("model", "info", "--preset", "QLIP-B-16-256");
        var unknown = await Run("model", "info", "--preset", "QLIP-XXL");
        var missing = await Run("tokenize", Path.Combine(directory, "none.png"), "--checkpoint", directory);

        Assert.True(info.ExitCode == 0, info.Stderr);
        var total = info.Stdout.Split('\n').Single(l => l.StartsWith("total", StringComparison.Ordinal));
        var count = long.Parse(total.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.NumberStyles.AllowThousands,
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(count, 239.4e6 * 0.995, 239.4e6 * 1.005);
        Assert.Contains("vision_model.encoder", info.Stdout);
        Assert.Contains("vision_decoder", info.Stdout);
        Assert.Equal(1, unknown.ExitCode);
        Assert.All(QlipPresets.Names, name => Assert.Contains(name, unknown.Stderr));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("none.png", missing.Stderr);
    }
}
