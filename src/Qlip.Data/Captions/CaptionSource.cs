namespace Qlip.Data.Captions;

/// <summary>Which caption training and tokenization use for a sample (see <see cref="CaptionResolver"/>).</summary>
public enum CaptionSource
{
    /// <summary>The original alt-text; the recaption only where there is none (SA-1B).</summary>
    Original,

    /// <summary>The generated caption; the original only where captioning failed.</summary>
    Recaption,

    /// <summary>The generated caption for a fixed fraction of keys, the original for the rest.</summary>
    Mixed,
}
