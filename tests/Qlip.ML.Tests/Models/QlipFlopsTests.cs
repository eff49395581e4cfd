using Qlip.ML.Configs;
using Qlip.ML.Models;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Models;

/// <summary>
/// The analytic FLOP count agrees with one derived from the real module tree: 2·(weight elements)·(tokens through
/// that weight) for every matmul weight, plus 4·T²·D of attention per block. A matrix left out (say SwiGLU's third) fails it.
/// </summary>
[Collection(nameof(DefaultDeviceCollection))] // builds on META, the process-wide default device
public class QlipFlopsTests
{
    [Theory]
    [InlineData("tiny")]
    [InlineData("small")]
    [InlineData("QLIP-B-16-256")]
    public void Forward_flops_match_the_weights_of_the_built_model(string preset)
    {
        var config = QlipPresets.Load(preset);
        const int context = 20;
        var previous = get_default_device();
        set_default_device(META);
        try
        {
            using var model = new QlipModel(config);
            var n = (double)config.Vision.GridSize * config.Vision.GridSize;
            var fromWeights = 0.0;
            foreach (var (name, p) in model.named_parameters())
            {
                if (p.dim() < 2 || name.EndsWith("_embedding.weight", StringComparison.Ordinal) && !name.Contains("patch_embedding")
                    || name == "vision_decoder.position_embeddings")
                    continue; // biases, norms and lookup tables do no matmul
                double tokens = name switch
                {
                    _ when name.StartsWith("text_model.", StringComparison.Ordinal) => context,
                    _ when name.StartsWith("vision_model.encoder.", StringComparison.Ordinal) => n + 1,
                    _ when name.StartsWith("vision_model.", StringComparison.Ordinal) || name.StartsWith("vision_decoder.", StringComparison.Ordinal) => n,
                    "visual_projection.weight" or "text_projection.weight" => 1,
                    _ => throw new InvalidOperationException($"no token count for {name}"),
                };
                fromWeights += 2 * p.numel() * tokens;
            }
            fromWeights += config.Vision.NumHiddenLayers * 4 * (n + 1) * (n + 1) * config.Vision.HiddenSize
                + config.Decoder.NumHiddenLayers * 4 * n * n * config.Decoder.HiddenSize
                + config.Text.NumHiddenLayers * 4.0 * context * context * config.Text.HiddenSize;

            Assert.InRange(QlipFlops.Forward(config, context) / fromWeights, 1 - 1e-12, 1 + 1e-12);
            Assert.True(QlipFlops.Encode(config) < QlipFlops.Forward(config, context) / 2);
        }
        finally
        {
            set_default_device(previous);
        }
    }
}
