using Qlip.Data.Images;
using Qlip.Data.WebDataset;
using Qlip.ML.Checkpoints;
using Qlip.ML.Imaging;
using Qlip.Testing.Azurite;
using static TorchSharp.torch;

namespace Qlip.TrainerHost.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class TokenDecodeTests(AzuriteFixture azurite, TokenizeInputs inputs) : IClassFixture<TokenizeInputs>
{
    [Fact]
    public async Task Stored_ids_decode_to_the_same_images_as_a_direct_encode()
    {
        using var harness = new TokenizeHarness(azurite, batchSize: 9);
        await harness.UploadShardAsync(inputs.ShardTar);
        await harness.UploadCheckpointAsync(inputs.CheckpointFolder);
        await harness.HandleAsync();
        var rows = await harness.Store.ReadAllRowsAsync(await harness.Store.ReadManifestAsync(harness.Dataset, harness.RunId, default), default);

        var images = new List<RgbImage>();
        await using (var tar = File.OpenRead(inputs.ShardTar))
            await foreach (var sample in WebDatasetReader.ReadAsync(tar)) images.Add(ImageDecoder.Decode(sample.Get("png")!));
        using var model = QlipCheckpoint.Load(inputs.CheckpointFolder);
        model.eval();
        using var scope = NewDisposeScope();
        using var mode = inference_mode();
        var pixels = new ImagePreprocessor(ImagePreprocessConfig.Clip(32)).Preprocess(images); // (B, 3, 32, 32)
        var direct = model.Tokenize(pixels);                                                   // (B, 16)
        var stored = tensor(rows.SelectMany(r => r.Ids).Select(i => (long)i).ToArray(), [rows.Count, 16]);

        Assert.Equal(direct.data<long>().ToArray(), stored.data<long>().ToArray());
        var fromStored = model.DecodeIds(stored);  // (B, 3, 32, 32)
        var fromDirect = model.DecodeIds(direct);
        Assert.Equal(new long[] { TokenizeInputs.Samples, 3, 32, 32 }, fromStored.shape);
        Assert.True(fromStored.allclose(fromDirect, rtol: 0, atol: 1e-6));
        // Decoding is not a constant map: different ids give different images.
        Assert.True((fromStored[0] - fromStored[1]).abs().max().item<float>() > 1e-3);
    }
}
