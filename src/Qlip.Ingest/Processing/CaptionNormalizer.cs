using System.Net;
using System.Text;

namespace Qlip.Ingest.Processing;

/// <summary>
/// Captions as stored: valid UTF-8 (else <c>invalid_caption_utf8</c>), HTML entities decoded once (<c>&amp;amp;</c> →
/// <c>&amp;</c>, as scraped alt texts often carry them), every run of whitespace or control characters turned into one
/// space, trimmed, then cut to the length cap without splitting a surrogate pair. An empty result means no caption.
/// </summary>
public static class CaptionNormalizer
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The normalised caption (null when absent or blank), or the reason code and message it is refused with.</summary>
    public static (string? Caption, string? Reason, string? Message) Normalize(byte[]? utf8, int maxLength)
    {
        if (utf8 is null) return (null, null, null);
        string text;
        try
        {
            text = StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException e)
        {
            return (null, RejectReasons.InvalidCaptionUtf8, $"caption is not valid UTF-8 at byte {e.Index}");
        }
        var decoded = WebUtility.HtmlDecode(text.TrimStart('\uFEFF'));
        var caption = new StringBuilder(decoded.Length);
        var pendingSpace = false;
        foreach (var c in decoded)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                pendingSpace = caption.Length > 0;
                continue;
            }
            if (pendingSpace) caption.Append(' ');
            pendingSpace = false;
            caption.Append(c);
        }
        if (caption.Length > maxLength)
            caption.Length = char.IsHighSurrogate(caption[maxLength - 1]) ? maxLength - 1 : maxLength;
        return caption.Length == 0 ? (null, null, null) : (caption.ToString().TrimEnd(), null, null);
    }
}
