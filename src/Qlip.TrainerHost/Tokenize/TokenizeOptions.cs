using System.ComponentModel.DataAnnotations;

namespace Qlip.TrainerHost.Tokenize;

/// <summary>How the tokenize worker runs (configuration section <c>Tokenize</c>).</summary>
public sealed class TokenizeOptions
{
    public const string SectionName = "Tokenize";

    /// <summary>Images per encoder forward pass.</summary>
    [Range(1, 4096)] public int BatchSize { get; set; } = 32;

    /// <summary>Torch device the encoder runs on: <c>cpu</c> or <c>cuda</c>.</summary>
    [Required] public string Device { get; set; } = "cpu";

    /// <summary>Where downloaded checkpoints are kept (one folder per checkpoint id); default: a folder under the temp path.</summary>
    public string? CacheFolder { get; set; }

    /// <summary>The cache folder in use.</summary>
    public string ResolveCacheFolder() => CacheFolder ?? Path.Combine(Path.GetTempPath(), "qlip-checkpoints");
}
