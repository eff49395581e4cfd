using Qlip.Data.Images;
using Qlip.ML.Inference;
using static TorchSharp.torch;

namespace Qlip.Captioning.Backends;

/// <summary>
/// One checkpoint and label vocabulary readied for zero-shot captioning: the class embeddings (every label × every
/// prompt template) are computed once, then each image costs one encoder forward. Forwards pass one gate per process,
/// since the model is shared by every message in flight.
/// </summary>
public sealed class ZeroShotCaptioner : ICaptioner, IDisposable
{
    private readonly QlipPipeline pipeline;
    private readonly Tensor classWeights;
    private readonly IReadOnlyList<string> labels;
    private readonly double singleLabelConfidence;
    private readonly SemaphoreSlim gate;

    /// <param name="pipeline">The loaded checkpoint (owned by the checkpoint cache, not by this captioner).</param>
    /// <param name="model">The model name written to the captions parquet.</param>
    /// <param name="labels">The vocabulary to rank.</param>
    /// <param name="templates">Prompt templates with "{}".</param>
    /// <param name="singleLabelConfidence">See <see cref="ZeroShotCaption"/>.</param>
    /// <param name="gate">Serializes forwards of the process.</param>
    public ZeroShotCaptioner(QlipPipeline pipeline, string model, IReadOnlyList<string> labels, IReadOnlyList<string> templates,
        double singleLabelConfidence, SemaphoreSlim gate)
    {
        (this.pipeline, Model, this.labels, this.singleLabelConfidence, this.gate) = (pipeline, model, labels, singleLabelConfidence, gate);
        classWeights = pipeline.ZeroShotClassWeights(labels, templates);  // (C, P)
    }

    /// <summary>The model name written to the captions parquet.</summary>
    public string Model { get; }

    public async Task<CaptionResult> CaptionAsync(CaptionInput input, CancellationToken ct)
    {
        RgbImage image;
        try
        {
            image = ImageDecoder.Decode(input.Image.Span);
        }
        catch (ImageDecodeException e)
        {
            throw new CaptionFailedException(CaptionFailureReasons.CorruptImage, $"sample '{input.Key}': the image does not decode: {e.Message}", e);
        }
        await gate.WaitAsync(ct);
        try
        {
            var (caption, confidence) = ZeroShotCaption.Compose(Rank(image), singleLabelConfidence);
            return new CaptionResult(caption, Model, confidence);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The two most probable labels of <paramref name="image"/>, best first.</summary>
    public IReadOnlyList<LabelProbability> Rank(RgbImage image)
    {
        using var scope = NewDisposeScope();
        var probabilities = pipeline.ZeroShotProbabilities(pipeline.Preprocess([image]), classWeights);  // (1, C)
        var (values, indices) = probabilities.topk(Math.Min(2, labels.Count), dim: -1);
        var p = values.data<float>().ToArray();
        var index = indices.data<long>().ToArray();
        return [.. index.Select((c, i) => new LabelProbability(labels[(int)c], (int)c, p[i]))];
    }

    public void Dispose() => classWeights.Dispose();
}
