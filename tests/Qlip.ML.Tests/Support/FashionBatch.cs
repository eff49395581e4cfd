using Qlip.Data.Captions;
using Qlip.Data.Images;
using Qlip.Testing.Data;

namespace Qlip.ML.Tests.Support;

/// <summary>The first <c>count</c> real Fashion-MNIST test images as RGB, with labels and template captions.</summary>
public sealed record FashionBatch(IReadOnlyList<RgbImage> Images, IReadOnlyList<int> Labels, IReadOnlyList<string> Captions)
{
    /// <summary>Images [0, <paramref name="count"/>) of the test split; captions from the class-name templates.</summary>
    public static FashionBatch Take(int count)
    {
        var set = RealData.FashionMnistTest;
        var images = Enumerable.Range(0, count).Select(i => RgbImage.FromGray(set.Width, set.Height, set.Image(i))).ToList();
        var labels = Enumerable.Range(0, count).Select(i => (int)set.Labels[i]).ToList();
        var captions = Enumerable.Range(0, count).Select(i => CaptionTemplates.FashionMnist(labels[i], i)).ToList();
        return new FashionBatch(images, labels, captions);
    }
}
