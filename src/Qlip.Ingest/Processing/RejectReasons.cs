namespace Qlip.Ingest.Processing;

/// <summary>
/// The reason codes a sample is dropped under; each is a key of the stats' <c>status_dict</c> and the <c>status</c> of
/// the sample's metadata row. img2dataset's <c>failed_to_download</c> counts <see cref="Download"/> reasons and
/// <c>failed_to_resize</c> counts <see cref="Resize"/> reasons; the rest (keys, captions, duplicates) only appear in
/// <c>status_dict</c>, so <c>count</c> = <c>successes</c> + the sum of every other status.
/// </summary>
public static class RejectReasons
{
    public const string Success = "success";
    public const string NoImage = "no_image";
    public const string EmptyFile = "empty_file";
    public const string NotAnImage = "not_an_image";
    public const string TruncatedImage = "truncated_image";
    public const string CorruptImage = "corrupt_image";
    public const string TooLarge = "too_large";
    public const string TooSmall = "too_small";
    public const string BadAspect = "bad_aspect";
    public const string UnsafeKey = "unsafe_key";
    public const string DottedKey = "dotted_key";
    public const string DuplicateKey = "duplicate_key";
    public const string DuplicateImage = "duplicate_image";
    public const string InvalidCaptionUtf8 = "invalid_caption_utf8";
    public const string CaptionTooShort = "caption_too_short";

    /// <summary>The image bytes are not there (img2dataset's <c>failed_to_download</c>).</summary>
    public static readonly IReadOnlySet<string> Download = new HashSet<string> { NoImage, EmptyFile };

    /// <summary>The image could not be decoded or failed a size filter (img2dataset's <c>failed_to_resize</c>).</summary>
    public static readonly IReadOnlySet<string> Resize =
        new HashSet<string> { NotAnImage, TruncatedImage, CorruptImage, TooLarge, TooSmall, BadAspect, "too_many_pixels" };
}
