using Qlip.Cli.Demo;
using Qlip.ML.Training;
using Qlip.ML.Training.Metrics;
using Qlip.ML.Training.Runs;

namespace Qlip.Pipeline.Tests.Demo;

/// <summary>report.md from a fixed summary: the numbers are the run's (read back from the trainer's own report.json), derived figures are right.</summary>
public sealed class DemoReportTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("qlip-demo-report-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private async Task<RunReportData> TrainerReportAsync()
    {
        var spec = new RunSpec("demo-s1-0123456789ab", "qlip-stage1", "tiny") { MaxSteps = 300 };
        var evaluation = new Dictionary<string, double>
        {
            ["zeroshot/top1"] = 0.7812, ["recon/test/psnr"] = 21.456, ["recon/test/ssim"] = 0.8123,
            ["recon/photos/psnr"] = double.PositiveInfinity, ["codebook/usage"] = 0.00123, ["codebook/entropy_bits"] = 11.5,
        };
        var outcome = new RunOutcome(new TrainState(300, 19_200, [], ""), Cancelled: false, StoppedByTimeBudget: false, evaluation, DataWaitFraction: 0.025);
        var rows = new List<MetricsRow>
        {
            new(10, MetricsRow.Train, new Dictionary<string, double> { ["loss"] = 3.0, ["loss/mse"] = 0.5, ["images_per_s"] = 100 }),
            new(300, MetricsRow.Train, new Dictionary<string, double> { ["loss"] = 1.25, ["loss/mse"] = 0.125, ["images_per_s"] = 212.4 }),
        };
        var notes = new Dictionary<string, string> { ["calibration"] = "alpha_r set to 7.5 from probe plateaus" };
        var hyperparameters = new Dictionary<string, string> { ["alpha_r"] = "7.5", ["lr"] = "0.003" };
        var calibration = new Dictionary<string, double> { ["alpha_r"] = 7.5, ["plateau_mse"] = 0.52 };
        await RunReport.WriteAsync(new LocalFolderRunArtifacts(folder), new RunReport(spec, outcome, rows, [], hyperparameters, notes)
        {
            Sections = new Dictionary<string, IReadOnlyDictionary<string, double>> { ["calibration"] = calibration },
        }, CancellationToken.None);
        return RunReportData.Parse(await File.ReadAllTextAsync(Path.Combine(folder, RunReport.JsonFile)), "report.json");
    }

    private static DemoSummary Summary(DemoPlan plan, DemoRunResult? stage1, IReadOnlyList<DatasetTokens> tokens) =>
        new(plan, [new DemoStageResult("ingest", 2_900, "samples", TimeSpan.FromSeconds(29)), new DemoStageResult("tokenize", 2_900, "images", TimeSpan.FromSeconds(10))],
            [
                new DatasetCounts("fmnist-train", 4, 4, 2_000, 1_996, 0, new Dictionary<string, long> { ["duplicate_image"] = 4 }),
                new DatasetCounts("clipart-sa1b", 1, 1, 100, 100, 100, new Dictionary<string, long>()),
            ],
            new Dictionary<string, long> { ["caption-poison"] = 1 })
        {
            StartedAt = new DateTimeOffset(2026, 11, 23, 4, 0, 0, TimeSpan.Zero), Machine = "2 CPU cores, load average 3.1 at the start",
            Elapsed = TimeSpan.FromMinutes(3.25), Stage1 = stage1, Tokens = tokens, Gaps = ["Stage 2 is not part of this build's demo."],
            Captioned = new Dictionary<string, long> { ["clipart-sa1b"] = 95 },
        };

    [Fact]
    public async Task The_trainers_report_json_reads_back_with_every_number()
    {
        var report = await TrainerReportAsync();

        Assert.Equal(("demo-s1-0123456789ab", "qlip-stage1", "tiny", 300L, 19_200L), (report.RunId, report.Kind, report.Preset, report.Steps, report.SamplesSeen));
        Assert.Equal(0.7812, report.Eval("zeroshot/top1"));
        Assert.Equal(double.PositiveInfinity, report.Eval("recon/photos/psnr"));
        Assert.Null(report.Eval("no/such/metric"));
        Assert.Equal(212.4, report.FinalTrain["images_per_s"]);
        Assert.Equal("7.5", report.Hyperparameters["alpha_r"]);
        Assert.Equal(["plots/loss_curves.png"], report.Plots);
        Assert.Equal(0.52, report.Sections["calibration"]["plateau_mse"]);
        Assert.Single(report.Sections);
    }

    [Fact]
    public async Task The_report_states_the_runs_results_counts_compression_figures_and_gaps()
    {
        var plan = new DemoPlan(Quick: true, folder);
        var stage1 = new DemoRunResult(plan.Stage1, Reused: false, TimeSpan.FromMinutes(1.5), await TrainerReportAsync(),
            new Dictionary<string, string> { ["loss_curves.png"] = "figures/s1/loss_curves.png" });
        // tiny: 32×32 input, 8×8 patches → a 4×4 grid of 28-bit ids = 448 bits against 32·32·3·8 = 24,576 raw bits.
        var tokens = new List<DatasetTokens>
        {
            new("fmnist-train", 4, 4, 1_996, 28, 4, 4, "tokens/fmnist-train.parquet"),
            new("fmnist-test", 1, 1, 500, 28, 4, 4, "tokens/fmnist-test.parquet"),
        };

        var md = DemoReport.Render(Summary(plan, stage1, tokens));

        Assert.Contains("Run 2026-11-23 04:00 UTC, `--quick` budget, 2 CPU cores, load average 3.1 at the start; 3.2 min end to end", md);
        Assert.Contains("| zero-shot top-1 | 78.1 % |", md);
        Assert.Contains("| PSNR | 21.46 | Fashion-MNIST test", md);
        Assert.Contains("| PSNR | ∞ | packaged photos", md);
        Assert.Contains("| bits per image | 448 | 4×4 ids of 28 bits |", md);
        Assert.Contains("| compression | 54.9× |", md);
        Assert.Contains("trained in 1.5 min through the `train-runs` queue; 212 images/s at the last step, data wait 2.5 %", md);
        Assert.Contains("- **calibration**: alpha_r set to 7.5 from probe plateaus", md);
        Assert.Contains("`loss/mse` 0.125", md);
        Assert.Contains("- **calibration**: `alpha_r` 7.5, `plateau_mse` 0.52", md);
        Assert.Contains("- **loss weights**: `alpha_r` = 7.5\n", md.ReplaceLineEndings("\n"));
        Assert.Contains("![loss_curves.png](figures/s1/loss_curves.png)", md);
        Assert.Contains("| fmnist-train | 4/4 | 2,000 | 1,996 | 4 | 0 | 0 | 1,996 |", md);
        Assert.Contains("| clipart-sa1b | 1/1 | 100 | 100 | 0 | 100 | 95 | 0 |", md);
        Assert.Contains("`duplicate_image` 4 (fmnist-train)", md);
        Assert.Contains("pq.read_table(\"tokens/fmnist-test.parquet\")", md);
        Assert.Contains("| ingest | 2,900 samples | 29.0 s | 100 samples/s |", md);
        Assert.Contains("`caption-poison` 1", md);
        Assert.Contains("- Stage 2 is not part of this build's demo.", md);
    }

    [Fact]
    public void Without_a_trained_run_the_report_has_no_results_or_tokens_section()
    {
        var md = DemoReport.Render(Summary(new DemoPlan(Quick: false, folder), stage1: null, tokens: []));

        Assert.Contains(", full budget, ", md);
        Assert.DoesNotContain("## Results", md);
        Assert.DoesNotContain("## Tokens and export", md);
        Assert.Contains("## Pipeline counts", md);
    }
}
