using System.ComponentModel.DataAnnotations;
using Qlip.Data.Images;
using Qlip.Shared.Messages;

namespace Qlip.Ingest;

/// <summary>
/// How incoming shards are cleaned (section <c>Ingest</c>). Defaults follow img2dataset where it has one, except the
/// resize mode: <c>center_crop</c> at 256, what the tokenizer trains on.
/// </summary>
public sealed class IngestOptions : IValidatableObject
{
    public const string SectionName = "Ingest";

    /// <summary><c>CenterCrop</c> (default), <c>Border</c> (pad with white) or <c>KeepRatio</c>.</summary>
    public ResizeMode ResizeMode { get; set; } = ResizeMode.CenterCrop;

    /// <summary>Target side in pixels (the square's side; the short side for <c>KeepRatio</c>).</summary>
    [Range(8, 4096)]
    public int ImageSize { get; set; } = 256;

    /// <summary>
    /// Decode large JPEGs at a reduced DCT scale (1/8 steps) when the result still covers the target size; the output
    /// differs slightly from a full decode, so it can be switched off for comparisons.
    /// </summary>
    public bool ReducedSizeDecode { get; set; } = true;

    /// <summary>JPEG (default) or lossless PNG.</summary>
    public OutputImageFormat OutputFormat { get; set; } = OutputImageFormat.Jpeg;

    /// <summary>JPEG quality 1..100 (img2dataset's default 95).</summary>
    [Range(1, 100)]
    public int JpegQuality { get; set; } = 95;

    /// <summary>Samples whose shorter side is below this are dropped as <c>too_small</c> (0 keeps all).</summary>
    [Range(0, 65536)]
    public int MinImageSize { get; set; }

    /// <summary>Samples with long side ÷ short side above this are dropped as <c>bad_aspect</c>.</summary>
    [Range(1.0, double.PositiveInfinity)]
    public double MaxAspectRatio { get; set; } = double.PositiveInfinity;

    /// <summary>Samples whose header claims more pixels than this are dropped as <c>too_large</c> before any decoding.</summary>
    [Range(1, long.MaxValue)]
    public long MaxPixels { get; set; } = ImageDecodeOptions.DefaultMaxPixels;

    /// <summary>Captions shorter than this (after normalisation) drop the sample as <c>caption_too_short</c>; missing captions are not filtered.</summary>
    [Range(0, 100_000)]
    public int MinCaptionLength { get; set; }

    /// <summary>Captions are cut to at most this many UTF-16 characters (never inside a surrogate pair).</summary>
    [Range(1, 100_000)]
    public int MaxCaptionLength { get; set; } = 1024;

    /// <summary>The captioning backend named in caption requests for samples without captions.</summary>
    [Required(AllowEmptyStrings = false)]
    public string CaptionBackend { get; set; } = CaptionBackendNames.ZeroShot;

    /// <summary>When set, a tokenize request for this QLIP checkpoint blob is enqueued after each shard.</summary>
    public Uri? DefaultTokenizerCheckpoint { get; set; }

    /// <summary>A tar member larger than this fails the shard instead of exhausting memory.</summary>
    [Range(1024, 4L << 30)]
    public long MaxMemberBytes { get; set; } = 256L << 20;

    /// <summary>Dedup claims in flight at once per shard (table requests).</summary>
    [Range(1, 256)]
    public int DedupConcurrency { get; set; } = 16;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MinCaptionLength > MaxCaptionLength)
            yield return new ValidationResult(
                $"MinCaptionLength ({MinCaptionLength}) must not exceed MaxCaptionLength ({MaxCaptionLength})",
                [nameof(MinCaptionLength), nameof(MaxCaptionLength)]);
        if (DefaultTokenizerCheckpoint is { IsAbsoluteUri: false })
            yield return new ValidationResult(
                $"DefaultTokenizerCheckpoint '{DefaultTokenizerCheckpoint}' must be an absolute blob URL", [nameof(DefaultTokenizerCheckpoint)]);
        if (!Enum.IsDefined(ResizeMode))
            yield return new ValidationResult($"ResizeMode {(int)ResizeMode} is not a resize mode", [nameof(ResizeMode)]);
        if (!Enum.IsDefined(OutputFormat))
            yield return new ValidationResult($"OutputFormat {(int)OutputFormat} is not an output format", [nameof(OutputFormat)]);
    }
}
