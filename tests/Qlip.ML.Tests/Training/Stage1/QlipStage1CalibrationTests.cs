using System.Text.Json;
using Qlip.ML.Training.Checkpointing;
using Qlip.ML.Training.Data;
using Qlip.ML.Training.Metrics;
using Qlip.ML.Training.Runs;
using Qlip.ML.Training.Stage1;

namespace Qlip.ML.Tests.Training.Stage1;

/// <summary>Loss-balancing calibration (calibrate=true) on real Fashion-MNIST shards with the tiny preset.</summary>
[Collection(TorchGlobalStateCollection.Name)]
public sealed class QlipStage1CalibrationTests : IDisposable
{
    private const int ProbeSteps = 8;
    private readonly string root = Directory.CreateTempSubdirectory("qlip-calib-").FullName;

    private static RunSpec Spec(long steps) => new("calib", QlipStage1RunKind.KindName, "tiny")
    {
        MaxSteps = steps,
        Hyperparameters = new Dictionary<string, string>
        {
            ["calibrate"] = "true", ["probe_steps"] = $"{ProbeSteps}", ["batch_size"] = "8", ["eval_images"] = "20", ["eval_photos"] = "1",
            ["log_every"] = "1", ["shuffle_buffer"] = "16", ["checkpoint_every"] = "2",
        },
    };

    private async Task<(RunOutcome Outcome, RecordingMetricsSink Metrics)> RunAsync(RunSpec spec, Action<MetricsRow, CancellationTokenSource>? onRow = null)
    {
        using var cancel = new CancellationTokenSource();
        var metrics = new RecordingMetricsSink(row => onRow?.Invoke(row, cancel));
        var environment = new RunEnvironment(LocalShardStore.Open(await QlipStage1RunKindTests.ShardsAsync(root, 48, 16)),
            new LocalFolderCheckpointStore(Path.Combine(root, "ckpt")), metrics, new LocalFolderRunArtifacts(Path.Combine(root, "out")));
        return (await RunKinds.Create().Get(spec.Kind).RunAsync(spec, environment, cancel.Token), metrics);
    }

    private static double Plateau(RecordingMetricsSink metrics, string kind, string term)
    {
        var curve = metrics.Rows.Where(r => r.Kind == kind).ToList();
        Assert.Equal(Enumerable.Range(1, ProbeSteps).Select(i => (long)i), curve.Select(r => r.Step));
        return curve.Skip(ProbeSteps - ProbeSteps / 4).Average(r => r.Values[term]);  // the last quarter of the probe
    }

    private JsonElement ReportCalibration() =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(root, "out", RunReport.JsonFile))).RootElement.GetProperty("calibration");

    [Fact]
    public async Task A_calibrated_run_sets_alpha_r_from_its_recorded_probe_plateaus_and_a_resume_reuses_it_without_probing()
    {
        var (first, firstMetrics) = await RunAsync(Spec(6), (row, cancel) =>
        {
            if (row is { Kind: MetricsRow.Train, Step: 3 }) cancel.Cancel();  // like SIGTERM: checkpoint at step 3 and stop
        });
        Assert.True(first.Cancelled);
        var mse = Plateau(firstMetrics, QlipStage1Calibration.ReconProbeKind, "loss/mse");
        var align = Plateau(firstMetrics, QlipStage1Calibration.AlignProbeKind, "loss/align");
        var alphaR = align / mse;  // α_a = 1
        // The probes are single-objective (α_a = 0, then α_r = α_q = α_z = 0); training after them uses the calibrated α_r.
        Assert.All(firstMetrics.Rows.Where(r => r.Kind == QlipStage1Calibration.ReconProbeKind), r =>
            Assert.Equal(1000 * r.Values["loss/mse"] + r.Values["loss/bsq"] + r.Values["loss/commit"], r.Values["loss"], 1e-2));
        Assert.All(firstMetrics.Rows.Where(r => r.Kind == QlipStage1Calibration.AlignProbeKind), r => Assert.Equal(r.Values["loss/align"], r.Values["loss"], 1e-5));
        AssertTrainedWith(alphaR, firstMetrics, [1, 2, 3]);

        var (resumed, metrics) = await RunAsync(Spec(6));
        Assert.DoesNotContain(metrics.Rows, r => r.Kind is QlipStage1Calibration.ReconProbeKind or QlipStage1Calibration.AlignProbeKind);
        AssertTrainedWith(alphaR, metrics, [4, 5, 6]);
        Assert.Equal(6, resumed.State.Step);

        var calibration = ReportCalibration();
        Assert.Equal(mse, calibration.GetProperty("plateau_mse").GetDouble(), 9);
        Assert.Equal(align, calibration.GetProperty("plateau_align").GetDouble(), 9);
        Assert.Equal(alphaR, calibration.GetProperty("alpha_r").GetDouble(), 9);
        Assert.Equal(1, calibration.GetProperty("alpha_a").GetDouble());
        Assert.Equal(alphaR / 1000, calibration.GetProperty("alpha_q").GetDouble(), 12);
        Assert.Equal(alphaR / 1000, calibration.GetProperty("alpha_z").GetDouble(), 12);
        var markdown = await File.ReadAllTextAsync(Path.Combine(root, "out", RunReport.MarkdownFile));
        Assert.Contains("**loss calibration**: α_r = ", markdown, StringComparison.Ordinal);
        Assert.Contains($"plots/{QlipStage1Calibration.FigureName}", markdown, StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(root, "out", "plots", QlipStage1Calibration.FigureName)).Length > 500);
    }

    // α_q and α_z (configured 1 beside α_r = 1000) are scaled with α_r: the reconstruction part keeps the probe's proportions.
    private static void AssertTrainedWith(double alphaR, RecordingMetricsSink metrics, long[] steps)
    {
        var train = metrics.Rows.Where(r => r.Kind == MetricsRow.Train).ToList();
        Assert.Equal(steps, train.Select(r => r.Step));
        var scale = alphaR / 1000;
        Assert.All(train, r =>
            Assert.Equal(alphaR * r.Values["loss/mse"] + scale * r.Values["loss/bsq"] + r.Values["loss/align"] + scale * r.Values["loss/commit"], r.Values["loss"], 1e-3));
    }

    [Theory]
    [InlineData("alpha_r")]
    [InlineData("alpha_a")]
    public void Explicit_weights_with_calibrate_are_an_error(string weight)
    {
        var spec = new RunSpec("bad", QlipStage1RunKind.KindName, "tiny")
        {
            MaxSteps = 1, Hyperparameters = new Dictionary<string, string> { ["calibrate"] = "true", [weight] = "5" },
        };
        var error = Assert.Throws<ArgumentException>(() => RunKinds.Create().Get(spec.Kind).Validate(spec));
        Assert.Contains("'calibrate=true' and 'alpha_r'/'alpha_a' conflict", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_plateau_is_the_mean_of_the_last_quarter_and_must_be_a_positive_loss()
    {
        var curve = Enumerable.Range(1, 100).ToDictionary(i => (long)i, i => i <= 75 ? 10.0 : i);
        Assert.Equal(Enumerable.Range(76, 25).Average(), QlipStage1Calibration.Plateau(curve));
        Assert.Equal(3.0, QlipStage1Calibration.Plateau(new Dictionary<long, double> { [1] = 9, [2] = 3 }));
        Assert.Throws<InvalidOperationException>(() => QlipStage1Calibration.Plateau(new Dictionary<long, double>()));
        Assert.Throws<InvalidOperationException>(() => QlipStage1Calibration.Plateau(new Dictionary<long, double> { [4] = 0 }));
    }

    [Fact]
    public void Calibrated_weights_equalize_the_plateaus_and_scale_the_quantizer_terms_with_alpha_r()
    {
        // Probe curves shaped like the recipe's (falling, then flat in the last quarter): plateaus 0.5 and 2.0.
        var recon = Enumerable.Range(1, 8).ToDictionary(i => (long)i, i => i <= 6 ? 2.0 / i : 0.5);
        var align = Enumerable.Range(1, 8).ToDictionary(i => (long)i, i => i <= 6 ? 4.0 : i == 7 ? 1.5 : 2.5);
        var calibration = new QlipStage1Calibration(recon, align, new QlipStage1Weights(Reconstruction: 1000, Quantizer: 1, Alignment: 2, Commitment: 0.5));

        Assert.Equal(0.5, calibration.PlateauMse);
        Assert.Equal(2.0, calibration.PlateauAlign);
        Assert.Equal(new QlipStage1Weights(Reconstruction: 8, Quantizer: 0.008, Alignment: 2, Commitment: 0.004), calibration.Weights);
        Assert.Equal(calibration.Weights.Alignment * calibration.PlateauAlign, calibration.Weights.Reconstruction * calibration.PlateauMse);
        Assert.Equal(calibration.Weights, QlipStage1Calibration.FromJson(calibration.ToJson()).Weights);
        Assert.Contains("α_q = 0.008, α_z = 0.004 scaled with α_r", calibration.Note(), StringComparison.Ordinal);

        var unscalable = calibration with { Configured = new QlipStage1Weights(Reconstruction: 0) };
        Assert.Throws<InvalidOperationException>(() => unscalable.Weights);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
