using System.Globalization;
using System.Text.Json;
using Qlip.Data.Making;
using Qlip.Data.Sets;
using Qlip.Testing.Data;

namespace Qlip.Pipeline.Tests.Cli;

/// <summary>`qlip train compare` on real Fashion-MNIST shards: three arms, one table, each arm's weights from its report.</summary>
public sealed class TrainCompareCliTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("qlip-cli-compare-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static Task<(int ExitCode, string Stdout, string Stderr)> Compare(string data, string output, params string[] settings) =>
        QlipProcess.RunAsync(new Dictionary<string, string>(),
            ["train", "compare", "--data", data, "--steps", "2", "--out", output, "--deterministic", .. settings.SelectMany(s => new[] { "--set", s })]);

    [Fact]
    public async Task The_table_lists_the_three_arms_with_the_weights_each_trained_with()
    {
        var shards = Path.Combine(directory, "shards");
        await DataMaker.MakeAsync(new DataMakeOptions("fashion-mnist", DataSplit.Train, 16, shards) { Limit = 48 }, RealData.Paths);
        var output = Path.Combine(directory, "compare");

        var run = await Compare(shards, output, "batch_size=8", "probe_steps=4", "eval_images=20", "eval_photos=1", "shuffle_buffer=16");

        Assert.True(run.ExitCode == 0, run.Stderr);
        var rows = File.ReadAllLines(Path.Combine(output, "comparison.md")).Where(l => l.StartsWith("| ", StringComparison.Ordinal)).Skip(1)
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries)[1..^1]).ToList();
        Assert.Equal(["reconstruction-only", "alignment-only", "balanced"], rows.Select(r => r[0]));
        Assert.Equal("α_r = 1000, α_q = 1, α_z = 1, α_a = 0", rows[0][1]);
        Assert.Equal("α_r = 0, α_q = 0, α_z = 0, α_a = 1", rows[1][1]);
        // The balanced arm's α_r comes from its calibration; α_q and α_z keep the reconstruction-only proportions (1 : 1000).
        using var report = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "balanced", "report.json")));
        var calibration = report.RootElement.GetProperty("calibration");
        var alphaR = calibration.GetProperty("alpha_r").GetDouble();
        Assert.Equal(alphaR / 1000, calibration.GetProperty("alpha_q").GetDouble(), 12);
        Assert.Equal(alphaR / 1000, calibration.GetProperty("alpha_z").GetDouble(), 12);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"calibrated: α_r = {alphaR:G4}, α_q = {alphaR / 1000:G4}, α_z = {alphaR / 1000:G4}, α_a = 1"), rows[2][1]);
        Assert.All(rows, r => Assert.Matches(@"^\d+\.\d %$", r[2]));
    }

    [Fact]
    public async Task A_loss_weight_given_to_every_arm_is_refused()
    {
        var run = await Compare(directory, Path.Combine(directory, "compare"), "alpha_q=2");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("qlip: --set alpha_q: the loss weights are what the comparison varies", run.Stderr.Trim());
    }
}
