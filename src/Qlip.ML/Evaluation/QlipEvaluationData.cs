using Qlip.Data.Images;
using Qlip.Data.Sets;
using Qlip.ML.Imaging;
using Qlip.ML.Text;
using static TorchSharp.torch;

namespace Qlip.ML.Evaluation;

/// <summary>
/// The held-out real data a QLIP run is evaluated on (spec §6): Fashion-MNIST test images with labels and the
/// zero-shot prompts of its classes, and the packaged photos resized to the model's input — all as CPU tensors.
/// </summary>
public sealed class QlipEvaluationData : IDisposable
{
    private QlipEvaluationData(Tensor testPixels, Tensor testLabels, Tensor promptIds, ZeroShotPrompts prompts, Tensor photos,
        ImagePostprocessor postprocessor)
    {
        (TestPixels, TestLabels, PromptIds, Prompts, Photos, Postprocessor) = (testPixels, testLabels, promptIds, prompts, photos, postprocessor);
    }

    /// <summary>(N, 3, S, S) CLIP-normalized Fashion-MNIST test images (the first N of the test split).</summary>
    public Tensor TestPixels { get; }

    /// <summary>(N) int64 class ids.</summary>
    public Tensor TestLabels { get; }

    /// <summary>(C, T, L) int64 token ids of every class × template.</summary>
    public Tensor PromptIds { get; }

    /// <summary>The class names and templates behind <see cref="PromptIds"/>.</summary>
    public ZeroShotPrompts Prompts { get; }

    /// <summary>(P, 3, S, S) CLIP-normalized photos.</summary>
    public Tensor Photos { get; }

    /// <summary>Undoes the normalization, for metrics on [0, 255] and figures.</summary>
    public ImagePostprocessor Postprocessor { get; }

    /// <summary>Loads <paramref name="testImages"/> test images and <paramref name="photos"/> photos at <paramref name="imageSize"/>.</summary>
    /// <exception cref="DataNotFoundException">The packaged data is not installed.</exception>
    public static QlipEvaluationData Load(DataPaths paths, int imageSize, ClipBpeTokenizer tokenizer, int contextLength, int testImages, int photos)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(testImages);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(photos);
        var preprocess = ImagePreprocessConfig.Clip(imageSize);
        var preprocessor = new ImagePreprocessor(preprocess);
        var test = MnistDataset.LoadFashion(paths, DataSplit.Test);
        var count = Math.Min(testImages, test.Count);
        var images = Enumerable.Range(0, count).Select(i => RgbImage.FromGray(test.Width, test.Height, test.Image(i))).ToList();
        var labels = tensor(test.Labels.AsSpan(0, count).ToArray().Select(l => (long)l).ToArray());
        var prompts = new ZeroShotPrompts(MnistDataset.FashionClassNames);
        var photoImages = paths.Photos().Take(photos).Select(f => ImageDecoder.Decode(File.ReadAllBytes(f))).ToList();
        return new QlipEvaluationData(preprocessor.Preprocess(images), labels, prompts.Tokenize(tokenizer, contextLength), prompts,
            preprocessor.Preprocess(photoImages), new ImagePostprocessor(preprocess));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        TestPixels.Dispose();
        TestLabels.Dispose();
        PromptIds.Dispose();
        Photos.Dispose();
    }
}
