using System.Text.Json;
using Qlip.Data.Making;
using Qlip.Data.Sets;
using Qlip.ML.Imaging;
using Qlip.ML.Text;
using Qlip.ML.Training.Checkpointing;
using Qlip.ML.Training.Data;
using Qlip.ML.Training.Metrics;
using Qlip.ML.Training.Runs;
using Qlip.ML.Training.Stage1;
using Qlip.Testing.Data;

namespace Qlip.ML.Tests.Training.Stage1;

/// <summary>qlip-stage1 end to end on real Fashion-MNIST webdataset shards: training, evaluation, report; spec validation.</summary>
[Collection(TorchGlobalStateCollection.Name)]
public sealed class QlipStage1RunKindTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("qlip-stage1-").FullName;

    private Task<string> ShardsAsync(int samples, int shardSize) => ShardsAsync(root, samples, shardSize);

    /// <summary>Real Fashion-MNIST train shards (template captions) under <paramref name="root"/>/shards.</summary>
    internal static async Task<string> ShardsAsync(string root, int samples, int shardSize)
    {
        var folder = Path.Combine(root, "shards");
        await DataMaker.MakeAsync(new DataMakeOptions("fashion-mnist", DataSplit.Train, shardSize, folder) { Limit = samples }, RealData.Paths);
        return folder;
    }

    [Fact]
    public async Task A_short_run_writes_checkpoint_metrics_and_a_report_with_every_evaluation()
    {
        var spec = new RunSpec("fm-e2e", QlipStage1RunKind.KindName, "tiny")
        {
            MaxSteps = 3,
            Hyperparameters = new Dictionary<string, string>
            {
                ["batch_size"] = "8", ["eval_images"] = "40", ["eval_photos"] = "2", ["log_every"] = "1", ["shuffle_buffer"] = "16",
            },
        };
        var metrics = new RecordingMetricsSink();
        var environment = new RunEnvironment(LocalShardStore.Open(await ShardsAsync(48, 16)), new LocalFolderCheckpointStore(Path.Combine(root, "ckpt")),
            metrics, new LocalFolderRunArtifacts(Path.Combine(root, "out")));
        var outcome = await RunKinds.Create().Get(spec.Kind).RunAsync(spec, environment, CancellationToken.None);

        Assert.False(outcome.Cancelled);
        Assert.Equal(3, outcome.State.Step);
        Assert.Equal(24, outcome.State.SamplesSeen);
        Assert.Equal(3, await environment.Checkpoints.LatestAsync(CancellationToken.None));
        Assert.Equal([1L, 2L, 3L], metrics.Rows.Where(r => r.Kind == MetricsRow.Train).Select(r => r.Step));
        foreach (var term in new[] { "loss/mse", "loss/bsq", "loss/align", "loss/commit", "lr/vision_model/decay", "lr/text_model/decay", "lr/vision_decoder/decay", "lr/vision_model.quant_embed/decay" })
            Assert.True(metrics.Rows[0].Values.ContainsKey(term), $"missing {term}");

        using var report = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(root, "out", RunReport.JsonFile)));
        var evaluation = report.RootElement.GetProperty("evaluation");
        Assert.InRange(evaluation.GetProperty("zeroshot/top1").GetDouble(), 0, 1);
        foreach (var key in new[] { "recon/test/psnr", "recon/photos/psnr" }) Assert.InRange(evaluation.GetProperty(key).GetDouble(), 1, 60);
        foreach (var key in new[] { "recon/test/ssim", "recon/photos/ssim" }) Assert.InRange(evaluation.GetProperty(key).GetDouble(), -1, 1);
        Assert.InRange(evaluation.GetProperty("codebook/distinct").GetDouble(), 1, 40 * 16);  // 40 images × 16 tokens
        Assert.Equal("8", report.RootElement.GetProperty("hyperparameters").GetProperty("batch_size").GetString());
        Assert.Equal("1000", report.RootElement.GetProperty("hyperparameters").GetProperty("alpha_r").GetString());
        foreach (var plot in new[] { RunReport.LossCurvesFile, "plots/recon_test.png", "plots/recon_photos.png", RunReport.MarkdownFile })
            Assert.True(new FileInfo(Path.Combine(root, "out", plot)).Length > 500, $"{plot} missing or empty");
    }

    [Theory]
    [InlineData("qlip-stage1", "no-such-preset", "batch_size", "8", "unknown preset 'no-such-preset'")]
    [InlineData("qlip-stage1", "tiny", "bach_size", "8", "unknown hyperparameter(s) for qlip-stage1: bach_size")]
    [InlineData("qlip-stage1", "tiny", "alpha_r", "lots", "hyperparameter 'alpha_r' = 'lots' is not a valid double")]
    [InlineData("no-such-kind", "tiny", "batch_size", "8", "unknown run kind 'no-such-kind'; known: qlip-stage1")]
    public void Invalid_specs_fail_validation_naming_the_problem(string kind, string preset, string name, string value, string message)
    {
        var spec = new RunSpec("bad", kind, preset) { MaxSteps = 1, Hyperparameters = new Dictionary<string, string> { [name] = value } };
        var error = Assert.ThrowsAny<ArgumentException>(() => RunKinds.Create().Get(kind).Validate(spec));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_shard_source_resumes_exactly_from_its_cursor_and_counts_skipped_samples()
    {
        var store = LocalShardStore.Open(await ShardsAsync(60, 20));
        var options = new ShardBatchOptions(BatchSize: 7, ContextLength: 32, ShuffleBuffer: 10, Seed: 5);
        var preprocessor = new ImagePreprocessor(ImagePreprocessConfig.Clip(32));
        var tokenizer = ClipBpeTokenizer.Load(RealData.ClipBpeVocab);
        List<string> Keys(ShardBatchSource source, int batches) =>
            Enumerable.Range(0, batches).SelectMany(_ => { using var b = source.Next(CancellationToken.None); return b.Keys; }).ToList();

        using var uninterrupted = new ShardBatchSource(store, options, preprocessor, tokenizer);
        var all = Keys(uninterrupted, 20);  // 8 batches per epoch of 60: crosses two epoch boundaries
        Assert.Equal(56, all.Take(56).Distinct().Count());                                          // an epoch drops its last 4 samples
        Assert.NotEqual(all.Take(56), all.Skip(56).Take(56));                                      // each epoch has its own order

        using var first = new ShardBatchSource(store, options, preprocessor, tokenizer);
        var head = Keys(first, 11);
        using var resumed = new ShardBatchSource(store, options, preprocessor, tokenizer);
        resumed.Restore(first.Cursor);
        Assert.Equal(all, head.Concat(Keys(resumed, 9)));
        Assert.Empty(resumed.Skipped);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
