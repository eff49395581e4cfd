using System.Text.Json;
using Qlip.ML.Checkpoints;
using Qlip.ML.Configs;
using Qlip.ML.Models;
using Qlip.ML.Native;
using Qlip.ML.Training.Checkpointing;
using Qlip.ML.Training.Metrics;
using Qlip.ML.Training.Runs;
using Qlip.ML.Training.Stage2;

namespace Qlip.ML.Tests.Training.Stage2;

/// <summary>qlip-stage2 end to end from a real stage-1 checkpoint on real Fashion-MNIST shards (tiny preset, few steps).</summary>
[Collection(TorchGlobalStateCollection.Name)]
public sealed class QlipStage2RunKindTests(Stage1RunFixture fixture) : IClassFixture<Stage1RunFixture>
{
    private static Dictionary<string, string> Small(params (string Name, string Value)[] extra)
    {
        var hp = new Dictionary<string, string>
        {
            ["batch_size"] = "4", ["eval_images"] = "8", ["eval_photos"] = "1", ["log_every"] = "1", ["shuffle_buffer"] = "8",
            ["disc_channels"] = "16", ["checkpoint_every"] = "0",
        };
        foreach (var (name, value) in extra) hp[name] = value;
        return hp;
    }

    [Fact]
    public async Task Seventeen_steps_keep_the_encoder_bit_identical_drop_the_text_tower_train_the_decoder_and_apply_R1_every_16th_step()
    {
        var spec = new RunSpec("s2-frozen", QlipStage2RunKind.KindName, "tiny")
        {
            MaxSteps = 17,
            Hyperparameters = Small(("init_checkpoint", fixture.Stage1Folder)),
        };
        var folder = Path.Combine(fixture.Root, spec.RunId);
        var oneDnnWhileTraining = new List<bool>();
        var metrics = new RecordingMetricsSink(_ => oneDnnWhileTraining.Add(LibTorchBackends.OneDnnEnabled));
        var environment = fixture.Environment(folder, metrics);
        var outcome = await RunKinds.Create().Get(spec.Kind).RunAsync(spec, environment, CancellationToken.None);
        Assert.Equal(17, outcome.State.Step);
        // Gradients flow into conv inputs here: libtorch's own conv kernels while it trains, oneDNN back afterwards.
        Assert.All(oneDnnWhileTraining, Assert.False);
        Assert.True(LibTorchBackends.OneDnnEnabled);

        using var stage1 = await TrainingCheckpoint.ReadAsync(fixture.Stage1Checkpoints, 2, TrainingCheckpoint.ModelFile, CancellationToken.None);
        using var stage2 = await TrainingCheckpoint.ReadAsync(environment.Checkpoints, 17, TrainingCheckpoint.ModelFile, CancellationToken.None);
        var frozen = stage1.Tensors.Keys.Where(QlipStage2Model.IsFrozen).ToList();
        Assert.NotEmpty(frozen);
        foreach (var name in frozen) Assert.True(stage1[name].bytes.SequenceEqual(stage2[name].bytes), $"frozen {name} changed");
        Assert.DoesNotContain(stage2.Tensors.Keys, k => QlipStage2Model.DroppedPrefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal)));
        Assert.Contains(stage2.Tensors.Keys, k => k.StartsWith("discriminator.", StringComparison.Ordinal));
        var trained = stage1.Tensors.Keys.Where(k => k.StartsWith("vision_decoder.", StringComparison.Ordinal) || k.StartsWith("vision_model.quant_embed", StringComparison.Ordinal)).ToList();
        Assert.True(trained.Count > 10);
        foreach (var name in trained) Assert.False(stage1[name].bytes.SequenceEqual(stage2[name].bytes), $"{name} did not train");

        var rows = metrics.Rows.Where(r => r.Kind == MetricsRow.Train).ToList();
        Assert.Equal(17, rows.Count);
        foreach (var row in rows)
        {
            var step = row.Step - 1;  // a row is written after its step: row n holds objective step n − 1
            Assert.Equal(step % 16 == 0 ? 1.0 : 0.0, row.Values["loss/r1_applied"]);
            foreach (var term in new[] { "loss/gan_g", "loss/gan_d", "loss/r1", "loss/perceptual", "loss/mse", "loss/bsq" })
                Assert.True(double.IsFinite(row.Values[term]), $"{term} at step {step} is {row.Values[term]}");
            Assert.True(step % 16 == 0 ? row.Values["loss/r1"] > 0 : row.Values["loss/r1"] == 0, $"r1 at step {step}");
            Assert.True(row.Values["loss/gan_d"] > 0 && row.Values["loss/gan_g"] > 0);
        }

        using var report = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(folder, RunReport.JsonFile)));
        var notes = report.RootElement.GetProperty("notes");
        Assert.StartsWith("QLIP vision-encoder feature distance (fallback, not LPIPS", notes.GetProperty("perceptual network").GetString());
        Assert.Equal("not evaluated: stage 2 has no text tower", notes.GetProperty("zero-shot").GetString());
        Assert.Contains("checkpoint step 2", notes.GetProperty("init checkpoint").GetString());
        var evaluation = report.RootElement.GetProperty("evaluation");
        Assert.False(evaluation.TryGetProperty("zeroshot/top1", out _));
        Assert.InRange(evaluation.GetProperty("recon/test/psnr").GetDouble(), 1, 60);
        Assert.Contains("perceptual network", await File.ReadAllTextAsync(Path.Combine(folder, RunReport.MarkdownFile)));
    }

    [Fact]
    public async Task With_a_weights_file_the_perceptual_term_is_LPIPS_and_the_report_says_so()
    {
        var weights = Path.Combine(fixture.Root, "lpips_vgg.safetensors");
        Losses.LpipsWeightsFile.Write(weights);
        var spec = new RunSpec("s2-lpips", QlipStage2RunKind.KindName, "tiny")
        {
            MaxSteps = 1,
            Hyperparameters = Small(("init_run", Stage1RunFixture.Stage1Run), ("perceptual_weights", weights)),
        };
        var folder = Path.Combine(fixture.Root, spec.RunId);
        var metrics = new RecordingMetricsSink();
        await RunKinds.Create().Get(spec.Kind).RunAsync(spec, fixture.Environment(folder, metrics), CancellationToken.None);

        var perceptual = metrics.Rows.Single(r => r.Kind == MetricsRow.Train).Values["loss/perceptual"];
        Assert.True(perceptual > 0 && double.IsFinite(perceptual), $"perceptual {perceptual}");
        using var report = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(folder, RunReport.JsonFile)));
        Assert.Equal("LPIPS-VGG16 (weights from lpips_vgg.safetensors)", report.RootElement.GetProperty("notes").GetProperty("perceptual network").GetString());
    }

    [Fact]
    public void The_stage2_model_has_no_text_tower_and_a_frozen_encoder_in_eval_mode()
    {
        using var model = new QlipStage2Model(QlipPresets.Load("tiny"), new PatchDiscriminatorConfig { BaseChannels = 16 });
        model.train();
        var parameters = model.named_parameters().ToList();
        Assert.DoesNotContain(parameters, p => QlipStage2Model.DroppedPrefixes.Any(d => p.name.StartsWith(d, StringComparison.Ordinal)));
        Assert.All(parameters, p => Assert.Equal(!QlipStage2Model.IsFrozen(p.name), p.parameter.requires_grad));
        Assert.Contains(parameters, p => QlipStage2Model.IsFrozen(p.name));
        foreach (var (name, child) in model.VisionModel.named_children().Where(c => c.module.parameters().Any()))  // rope has none (and is shared with the encoder)
            Assert.True(QlipStage2Model.IsFrozen($"vision_model.{name}.") != child.training, $"vision_model.{name} training = {child.training}");
    }

    [Fact]
    public async Task A_resumed_run_restores_the_discriminator_and_its_optimizer_bit_for_bit()
    {
        RunSpec Spec(string id) => new(id, QlipStage2RunKind.KindName, "tiny")
        {
            MaxSteps = 4, Deterministic = true, Seed = 3,
            Hyperparameters = Small(("init_run", Stage1RunFixture.Stage1Run), ("r1_every", "2"), ("eval_images", "4")),
        };
        var kind = RunKinds.Create().Get(QlipStage2RunKind.KindName);
        var straight = fixture.Environment(Path.Combine(fixture.Root, "s2-straight"));
        await kind.RunAsync(Spec("s2-straight"), straight, CancellationToken.None);

        using var stop = new CancellationTokenSource();
        var resumedFolder = Path.Combine(fixture.Root, "s2-resumed");
        var first = await kind.RunAsync(Spec("s2-resumed"),
            fixture.Environment(resumedFolder, new RecordingMetricsSink(r => { if (r.Step == 2) stop.Cancel(); })), stop.Token);
        Assert.True(first.Cancelled);
        Assert.Equal(2, first.State.Step);
        var resumed = fixture.Environment(resumedFolder);
        var second = await RunKinds.Create().Get(QlipStage2RunKind.KindName).RunAsync(Spec("s2-resumed"), resumed, CancellationToken.None);
        Assert.Equal(4, second.State.Step);

        foreach (var file in new[] { TrainingCheckpoint.ModelFile, TrainingCheckpoint.OptimizerFile, $"optimizer.{QlipStage2RunKind.DiscriminatorOptimizer}.safetensors" })
        {
            using var expected = await TrainingCheckpoint.ReadAsync(straight.Checkpoints, 4, file, CancellationToken.None);
            using var actual = await TrainingCheckpoint.ReadAsync(resumed.Checkpoints, 4, file, CancellationToken.None);
            Assert.Equal(expected.Tensors.Keys.Order(), actual.Tensors.Keys.Order());
            foreach (var name in expected.Tensors.Keys) Assert.True(expected[name].bytes.SequenceEqual(actual[name].bytes), $"{file}: {name} differs");
        }
        using var discriminatorState = await TrainingCheckpoint.ReadAsync(resumed.Checkpoints, 4, $"optimizer.{QlipStage2RunKind.DiscriminatorOptimizer}.safetensors", CancellationToken.None);
        Assert.Contains("discriminator.conv_in.weight/exp_avg", discriminatorState.Tensors.Keys);
    }

    [Theory]
    [InlineData("batch_size=4", "qlip-stage2 starts from a stage-1 checkpoint: set init_checkpoint=<checkpoint folder or weights file> or init_run=<stage-1 run id>")]
    [InlineData("init_checkpoint=/x;init_run=a", "set only one of init_checkpoint and init_run")]
    [InlineData("init_run=a;r1_every=0", "hyperparameter 'r1_every' = 0: must be at least 1")]
    [InlineData("init_run=a;disc_layers=4", "Layers = 4 halves a 32-pixel image below 3 pixels")]
    public void Specs_without_exactly_one_init_checkpoint_or_with_bad_gan_settings_fail_validation(string settings, string message)
    {
        var hp = settings.Split(';').Select(s => s.Split('=')).ToDictionary(kv => kv[0], kv => kv[1]);
        var spec = new RunSpec("bad", QlipStage2RunKind.KindName, "tiny") { MaxSteps = 1, Hyperparameters = hp };
        var error = Assert.ThrowsAny<ArgumentException>(() => RunKinds.Create().Get(spec.Kind).Validate(spec));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("init_checkpoint", "no-such-folder", "does not exist")]
    [InlineData("init_run", "no-such-run", "has no complete checkpoint")]
    public async Task A_missing_init_checkpoint_fails_the_run_naming_it(string name, string value, string message)
    {
        var path = name == "init_checkpoint" ? Path.Combine(fixture.Root, value) : value;
        var spec = new RunSpec("s2-missing", QlipStage2RunKind.KindName, "tiny") { MaxSteps = 1, Hyperparameters = Small((name, path)) };
        var error = await Assert.ThrowsAsync<FileNotFoundException>(() =>
            RunKinds.Create().Get(spec.Kind).RunAsync(spec, fixture.Environment(Path.Combine(fixture.Root, "s2-missing")), CancellationToken.None));
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
