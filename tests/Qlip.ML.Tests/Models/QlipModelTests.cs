using Qlip.ML.Configs;
using Qlip.ML.Losses;
using Qlip.ML.Models;
using Qlip.ML.Nn;
using Qlip.ML.Quantization;
using Qlip.ML.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Models;

public class QlipModelTests
{
    internal static (Tensor Ids, Tensor Pixels, Tensor Mask) Batch(QlipConfig config, int batch, ulong seed)
    {
        var generator = new Generator(seed);
        var t = 10;
        var ids = randint(1, config.Text.VocabSize - 2, [batch, t], generator: generator);
        ids[TensorIndex.Colon, 0] = tensor(config.Text.BosTokenId);
        var mask = ones(batch, t, ScalarType.Int64);
        for (var b = 0; b < batch; b++)
        {
            var eos = 3 + b % 6;
            ids[b, eos] = tensor(config.Text.EosTokenId);
            ids[b, TensorIndex.Slice(eos + 1)] = tensor(0L);
            mask[b, TensorIndex.Slice(eos + 1)] = tensor(0L);
        }
        var size = config.Vision.ImageSize;
        var pixels = randn([batch, 3, size, size], generator: generator);
        return (ids, pixels, mask);
    }

    [Fact]
    public void Forward_shapes_follow_the_config()
    {
        using var scope = NewDisposeScope();
        var config = QlipPresets.Load("tiny");
        using var model = new QlipModel(config);
        var (ids, pixels, mask) = Batch(config, 3, 1);

        var output = model.call(ids, pixels, mask);

        Assert.Equal(new long[] { 3, 32 }, output.ImageEmbeds.shape);
        Assert.Equal(new long[] { 3, 3 }, output.LogitsPerImage.shape);
        Assert.Equal(pixels.shape, output.Reconstructions.shape);
        Assert.Equal(config.Vision.NumHiddenLayers + 1, output.Vision.HiddenStates.Count);
        Assert.Equal(new long[] { 3, 17, 64 }, output.Vision.HiddenStates[^2].shape);
        Assert.Equal(new long[] { 3, 16 }, output.Vision.Quantizer.Indices.shape);
        Assert.Equal(new long[] { 3, 16, 7 }, output.Vision.Quantizer.GroupIndices.shape);
        Assert.Equal(new long[] { 3, 10, 64 }, output.Text.LastHiddenState.shape);
        TensorAssert.Close(output.LogitsPerImage.t(), output.LogitsPerText, 0, name: "logits transpose");
        Assert.Equal(2.6592f, model.LogitScale.item<float>(), 4);
    }

    [Fact]
    public void Every_parameter_gets_a_finite_nonzero_gradient()
    {
        using var scope = NewDisposeScope();
        var config = QlipPresets.Load("tiny");
        using var model = new QlipModel(config);
        var (ids, pixels, mask) = Batch(config, 4, 2);

        var output = model.call(ids, pixels, mask);
        var loss = ReconstructionLoss.Compute(output.Reconstructions, pixels) + ContrastiveLoss.Compute(output.LogitsPerImage)
            + output.Vision.Quantizer.Loss;
        loss.backward();

        foreach (var (name, p) in model.named_parameters())
        {
            Assert.True(p.grad is not null, $"{name} has no gradient");
            var g = p.grad!;
            Assert.True(g.isfinite().all().item<bool>(), $"{name} has a non-finite gradient");
            Assert.True(g.abs().sum().item<float>() > 0, $"{name} has an all-zero gradient");
        }
    }

    [Fact]
    public void Decoding_the_ids_of_an_image_equals_its_reconstruction()
    {
        using var scope = NewDisposeScope();
        var config = QlipPresets.Load("tiny");
        using var model = new QlipModel(config);
        model.eval();
        var (_, pixels, _) = Batch(config, 2, 3);
        using var noGrad = inference_mode();

        var ids = model.Tokenize(pixels);

        Assert.Equal(ScalarType.Int64, ids.dtype);
        Assert.Equal(new long[] { 2, 16 }, ids.shape);
        Assert.InRange(ids.max().item<long>(), 0, (1L << 28) - 1);
        TensorAssert.Close(model.Reconstruct(pixels), model.DecodeIds(ids), 0, name: "decode(tokenize(x))");
        TensorAssert.Close(model.call(Batch(config, 2, 3).Ids, pixels, null).ImageEmbeds, model.EncodeImage(pixels), 1e-6,
            name: "EncodeImage");
    }

    [Fact]
    public void A_bf16_model_tokenizes_and_decodes_like_the_fp32_one()
    {
        using var scope = NewDisposeScope();
        var config = QlipPresets.Load("tiny");
        using var model = new QlipModel(config);
        model.eval();
        var (_, pixels, _) = Batch(config, 2, 6);
        using var noGrad = inference_mode();
        var ids = model.Tokenize(pixels);
        var expected = model.DecodeIds(ids);

        model.to(ScalarType.BFloat16);
        var decoded = model.DecodeIds(ids);

        Assert.Equal(ScalarType.BFloat16, decoded.dtype);
        TensorAssert.Close(expected, decoded, 0.1, 0.05, name: "bf16 decode");
        Assert.Equal(ScalarType.Int64, model.Tokenize(pixels.to_type(ScalarType.BFloat16)).dtype);
    }

    [Fact]
    public void Derived_tables_follow_the_input_device_and_dtype()
    {
        using var scope = NewDisposeScope();
        using var rope = new Rope2d(headDim: 16, gridSize: 4);
        using var quantizer = new BinarySphericalQuantizer(new BsqConfig { PersampleEntropyCompute = "group" });

        // META is the only non-CPU device here; a table left on the CPU throws a device mismatch as it would on CUDA.
        var rotated = rope.call(randn(2, 16, 16).to(META));
        var quantized = quantizer.call(randn(2, 16, 28).to(META));
        var half = rope.call(randn(2, 16, 16).to_type(ScalarType.BFloat16));

        Assert.Equal(DeviceType.META, rotated.device_type);
        Assert.Equal(DeviceType.META, quantized.CodebookEntropy.device_type);
        Assert.Equal(ScalarType.BFloat16, half.dtype);
    }

    [Fact]
    public void Text_pools_at_the_first_eos_and_ignores_what_follows()
    {
        using var scope = NewDisposeScope();
        var config = QlipPresets.Load("tiny");
        using var model = new QlipModel(config);
        model.eval();
        var (ids, _, mask) = Batch(config, 2, 4);
        var changed = ids.clone();
        changed[0, 9] = tensor(123L); // after row 0's eos (position 3)
        using var noGrad = inference_mode();

        var a = model.EncodeText(ids, mask);
        var b = model.EncodeText(changed, mask);

        TensorAssert.Close(a, b, 0, name: "text embeds");
        var tooLong = zeros(1, config.Text.MaxPositionEmbeddings + 1, ScalarType.Int64);
        Assert.Throws<ArgumentException>(() => model.EncodeText(tooLong));
    }
}
