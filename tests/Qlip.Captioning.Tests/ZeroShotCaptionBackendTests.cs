using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Qlip.Captioning.Backends;
using Qlip.Data.Images;
using Qlip.Data.Sets;
using Qlip.Shared.Messages;
using Qlip.Shared.Queues;
using Qlip.Testing.Azurite;
using Qlip.Testing.Data;
using Xunit.Abstractions;

namespace Qlip.Captioning.Tests;

/// <summary>The zeroshot backend with a checkpoint trained inside the test run, on real Fashion-MNIST test images.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ZeroShotCaptionBackendTests(AzuriteFixture azurite, TrainedCheckpoint trained, ITestOutputHelper output) : IDisposable
{
    private readonly string cache = Directory.CreateTempSubdirectory("qlip-zeroshot-cache-").FullName;

    [Fact]
    public async Task Names_the_class_of_real_Fashion_MNIST_test_images_well_above_chance()
    {
        var runId = await trained.RunIdAsync(azurite);
        using var backend = Backend(new CaptioningOptions());
        var labels = MnistDataset.FashionClassNames;
        var captioner = await backend.OpenAsync(Request() with { Checkpoint = $"run:{runId}", Labels = labels }, CancellationToken.None);

        var test = RealData.FashionMnistTest;
        const int images = 300;
        var correct = 0;
        for (var i = 0; i < images; i++)
        {
            var png = ImageEncoder.EncodeGrayPng(test.Image(i), test.Width, test.Height);
            var result = await captioner.CaptionAsync(new CaptionInput($"fm-{i}", png, "image/png", null), CancellationToken.None);
            Assert.Equal($"qlip:{runId}-step-{TrainedCheckpoint.Steps:D8}", result.Model);
            var named = labels.Where(l => result.Caption.Contains(l.ToLowerInvariant(), StringComparison.Ordinal)).ToList();
            var confidence = Assert.IsType<float>(result.Confidence);
            if (result.Caption.Contains(" or ", StringComparison.Ordinal))
                Assert.InRange(confidence, 0, 1);
            else
                Assert.InRange(confidence, 0.5f, 1f);  // one label only when the model gives it at least half the mass
            Assert.StartsWith("a photo of a", result.Caption, StringComparison.Ordinal);
            Assert.NotEmpty(named);
            // the first label the caption names is the model's best guess
            var first = named.OrderBy(l => result.Caption.IndexOf(l.ToLowerInvariant(), StringComparison.Ordinal)).First();
            if (first == labels[test.Labels[i]]) correct++;
        }
        var accuracy = (double)correct / images;
        output.WriteLine($"zeroshot top-1 on {images} Fashion-MNIST test images: {accuracy:P1} (chance 10 %)");
        // measured 76.7 % (seed 7, deterministic); the bound is 5× chance
        Assert.True(accuracy > 0.50, $"top-1 {accuracy:P1} is not above 5× chance (50 %)");
    }

    [Fact]
    public async Task A_request_without_any_checkpoint_is_a_permanent_failure_naming_the_setting()
    {
        using var backend = Backend(new CaptioningOptions());
        var error = await Assert.ThrowsAsync<PermanentMessageException>(() => backend.OpenAsync(Request(), CancellationToken.None));
        Assert.Contains("zeroshot caption request for fm/00000000: no checkpoint", error.Message, StringComparison.Ordinal);
        Assert.Contains("Captioning:Checkpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_without_a_complete_checkpoint_or_a_missing_folder_fails_naming_it()
    {
        using var backend = Backend(new CaptioningOptions { Checkpoint = "run:never-trained" });
        var noRun = await Assert.ThrowsAsync<CaptionShardException>(() => backend.OpenAsync(Request(), CancellationToken.None));
        var noFolder = await Assert.ThrowsAsync<CaptionShardException>(() =>
            backend.OpenAsync(Request() with { Checkpoint = "checkpoints/nothing/step-00000001" }, CancellationToken.None));

        Assert.Contains("run 'never-trained' has no complete checkpoint", noRun.Message, StringComparison.Ordinal);
        Assert.Contains("checkpoints/nothing/step-00000001 has no config.json", noFolder.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(cache, recursive: true);

    private ZeroShotCaptionBackend Backend(CaptioningOptions options)
    {
        options.CheckpointCacheFolder = cache;
        return new ZeroShotCaptionBackend(azurite.Clients, Options.Create(options), NullLogger<ZeroShotCaptionBackend>.Instance);
    }

    private static CaptionRequest Request() => new() { Dataset = "fm", ShardId = "00000000", Backend = CaptionBackendNames.ZeroShot };
}
