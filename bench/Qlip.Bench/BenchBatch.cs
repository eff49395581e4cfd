using Qlip.Data.Captions;
using Qlip.Data.Images;
using Qlip.Data.Sets;
using Qlip.ML.Imaging;
using Qlip.ML.Models;
using Qlip.ML.Text;
using static TorchSharp.torch;

namespace Qlip.Bench;

/// <summary>A real batch for model benchmarks: Fashion-MNIST test images at the model's size and their template captions.</summary>
internal sealed record BenchBatch(Tensor Pixels, Tensor Ids) : IDisposable
{
    public static BenchBatch Create(QlipConfig config, int batch)
    {
        var paths = DataPaths.Resolve();
        var set = MnistDataset.LoadFashion(paths, DataSplit.Test);
        var images = Enumerable.Range(0, batch).Select(i => RgbImage.FromGray(set.Width, set.Height, set.Image(i))).ToList();
        var captions = Enumerable.Range(0, batch).Select(i => CaptionTemplates.FashionMnist(set.Labels[i], i)).ToList();
        var pixels = new ImagePreprocessor(ImagePreprocessConfig.Clip(config.Vision.ImageSize)).Preprocess(images);
        var ids = ClipBpeTokenizer.Load(DataPaths.Require(paths.ClipBpeVocab, "CLIP BPE vocabulary"))
            .TokenizeBatch(captions, config.Text.MaxPositionEmbeddings);
        return new BenchBatch(pixels, ids);
    }

    /// <summary>Tokens per caption row (the text context length).</summary>
    public int ContextLength => (int)Ids.shape[1];

    public void Dispose()
    {
        Pixels.Dispose();
        Ids.Dispose();
    }
}
