using System.Security.Cryptography;
using System.Text;
using Qlip.Data.Images;
using Qlip.Data.Tokens;
using Qlip.Data.WebDataset;
using Qlip.ML.Checkpoints;
using Qlip.ML.Imaging;
using Qlip.ML.Inference;
using Qlip.Shared.Checkpoints;
using Qlip.Shared.Storage;
using Qlip.Testing.Azurite;
using Qlip.TrainerHost.Tokenize;

namespace Qlip.TrainerHost.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class TokenizeHandlerTests(AzuriteFixture azurite, TokenizeInputs inputs) : IClassFixture<TokenizeInputs>
{
    [Fact]
    public async Task Shard_becomes_tokens_parquet_with_every_sample_then_manifest()
    {
        using var harness = new TokenizeHarness(azurite);
        await harness.UploadShardAsync(inputs.ShardTar);
        await harness.UploadCheckpointAsync(inputs.CheckpointFolder);

        await harness.HandleAsync();

        var checkpoint = harness.RunId; // the checkpoint blob's folder name
        Assert.Equal(checkpoint, CheckpointId.Of(harness.CheckpointUri));
        var manifest = await harness.Store.ReadManifestAsync(harness.Dataset, checkpoint, default);
        var file = Assert.Single(manifest.Files);
        Assert.Equal(("00000000", "00000000.parquet", (long)TokenizeInputs.Samples), (file.ShardId, file.Path, file.Rows));
        Assert.Equal((28, 4, 4), (manifest.Bits, manifest.GridH, manifest.GridW)); // tiny: L = 28, 32 px / patch 8

        var rows = await harness.Store.ReadAllRowsAsync(manifest, default);
        var samples = new List<WebDatasetSample>();
        await using (var tar = File.OpenRead(inputs.ShardTar))
            await foreach (var sample in WebDatasetReader.ReadAsync(tar)) samples.Add(sample);
        Assert.Equal(samples.Select(s => s.Key), rows.Select(r => r.Key));
        Assert.Equal(samples.Select(s => Encoding.UTF8.GetString(s.Get("txt")!)), rows.Select(r => r.Caption));
        Assert.Equal(samples.Select(s => Convert.ToHexStringLower(SHA256.HashData(s.Get("png")!))), rows.Select(r => r.SourceSha256));
        Assert.All(rows, r => Assert.Equal((16, 28, 4, 4, checkpoint), (r.Ids.Length, r.Bits, r.GridH, r.GridW, r.Checkpoint)));
        // Different garments give different codes: the ids depend on the image.
        Assert.True(rows.Select(r => string.Join(',', r.Ids)).Distinct().Count() > TokenizeInputs.Samples / 2);
    }

    [Fact]
    public async Task Redelivery_leaves_identical_bytes_and_one_manifest_entry()
    {
        using var harness = new TokenizeHarness(azurite);
        await harness.UploadShardAsync(inputs.ShardTar);
        await harness.UploadCheckpointAsync(inputs.CheckpointFolder);
        await harness.HandleAsync();
        var tokens = harness.Clients.Blob(BlobLayout.Tokens(harness.Dataset, harness.RunId, "00000000"));
        var first = (await tokens.DownloadContentAsync()).Value;

        // A second worker process (empty cache, other batch size) handles the redelivered message.
        using var again = new TokenizeHarness(azurite, batchSize: 7, sameNamesAs: harness);
        await again.HandleAsync(delivery: 2);

        var second = (await tokens.DownloadContentAsync()).Value;
        Assert.Equal(first.Content.ToArray(), second.Content.ToArray());
        Assert.Equal(first.Details.ETag, second.Details.ETag); // not even rewritten
        var manifest = await harness.Store.ReadManifestAsync(harness.Dataset, harness.RunId, default);
        Assert.Single(manifest.Files);
        Assert.Equal(TokenizeInputs.Samples, manifest.TotalRows);
    }

    [Fact]
    public async Task Missing_shard_or_checkpoint_throws_naming_it()
    {
        using var harness = new TokenizeHarness(azurite);
        await harness.UploadCheckpointAsync(inputs.CheckpointFolder);
        var noShard = await Assert.ThrowsAsync<FileNotFoundException>(() => harness.HandleAsync());
        Assert.Contains($"shards/{harness.Dataset}/00000000.tar", noShard.Message);

        using var other = new TokenizeHarness(azurite);
        await other.UploadShardAsync(inputs.ShardTar);
        var noCheckpoint = await Assert.ThrowsAsync<FileNotFoundException>(() => other.HandleAsync());
        Assert.Contains($"checkpoints/{other.RunId}", noCheckpoint.Message);
        Assert.Contains("config.json", noCheckpoint.Message);
        Assert.False((await other.Clients.Blob(BlobLayout.TokensManifest(other.Dataset, other.RunId)).ExistsAsync()).Value);
    }

    [Fact]
    public async Task Ids_come_from_the_checkpoints_own_preprocessing_as_in_QlipPipeline()
    {
        // A checkpoint saved with non-CLIP normalization: the worker must encode exactly as QlipPipeline.Load does.
        var folder = Directory.CreateTempSubdirectory("qlip-tokenize-preprocess-").FullName;
        try
        {
            var half = new ImagePreprocessConfig { Size = 32, Mean = [0.5f, 0.5f, 0.5f], Std = [0.5f, 0.5f, 0.5f] };
            using (var saved = new QlipPipeline(QlipCheckpoint.Load(inputs.CheckpointFolder), half)) saved.Save(folder);
            using var harness = new TokenizeHarness(azurite, batchSize: 5);
            await harness.UploadShardAsync(inputs.ShardTar);
            await harness.UploadCheckpointAsync(folder);
            await harness.HandleAsync();
            var rows = await harness.Store.ReadAllRowsAsync(await harness.Store.ReadManifestAsync(harness.Dataset, harness.RunId, default), default);

            var images = new List<RgbImage>();
            await using (var tar = File.OpenRead(inputs.ShardTar))
                await foreach (var sample in WebDatasetReader.ReadAsync(tar)) images.Add(ImageDecoder.Decode(sample.Get("png")!));
            using var pipeline = QlipPipeline.Load(folder);
            Assert.Equal(half.Mean, pipeline.Preprocessing.Mean);
            Assert.Equal(half.Std, pipeline.Preprocessing.Std);
            var expected = pipeline.Encode(images);
            using var clipPipeline = new QlipPipeline(QlipCheckpoint.Load(folder), ImagePreprocessConfig.Clip(32));
            var clip = clipPipeline.Encode(images);
            for (var i = 0; i < images.Count; i++) Assert.Equal(expected.IdsOf(i).Select(v => (int)v), rows[i].Ids);
            // CLIP's mean/std would have given other ids, so the test sees which preprocessing ran.
            Assert.Contains(Enumerable.Range(0, images.Count), i => !clip.IdsOf(i).SequenceEqual(expected.IdsOf(i)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
