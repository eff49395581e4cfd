using System.Security.Cryptography;
using System.Text;
using Qlip.Data.Images;
using Qlip.Data.WebDataset;
using Qlip.Ingest.Reading;

namespace Qlip.Ingest.Processing;

/// <summary>
/// Cleans one sample, cheapest checks first: key → caption → image header (format, size filters, pixel limit — nothing
/// decoded yet) → decode (EXIF orientation, gray/CMYK/alpha-on-white; JPEGs decoded at a reduced DCT scale when the
/// target allows) → resize → re-encode. A bad sample becomes a row with its reason code, never an exception.
/// </summary>
public sealed class SampleProcessor(IngestOptions options)
{
    private readonly ImageDecodeOptions _decode = new() { MaxPixels = options.MaxPixels };
    private readonly string _extension = options.OutputFormat == OutputImageFormat.Png ? "png" : "jpg";

    /// <summary>Cleans <paramref name="raw"/>, read from the input file <paramref name="source"/>.</summary>
    public ProcessedSample Process(RawSample raw, string source)
    {
        var row = new SampleMetadata { Key = raw.Key, Source = source, SourceId = raw.Key };
        var (key, keyReason, keyMessage) = SampleKeys.Sanitize(raw.Key);
        if (key is null) return ProcessedSample.Rejected(row, keyReason!, keyMessage!);
        row.Key = key;

        var (caption, captionReason, captionMessage) = CaptionNormalizer.Normalize(raw.Caption, options.MaxCaptionLength);
        if (captionReason is not null) return ProcessedSample.Rejected(row, captionReason, captionMessage!);
        if (caption is not null && caption.Length < options.MinCaptionLength)
            return ProcessedSample.Rejected(row, RejectReasons.CaptionTooShort,
                $"caption has {caption.Length} characters, fewer than {options.MinCaptionLength}");
        row.Caption = caption;

        if (raw.Image is null) return ProcessedSample.Rejected(row, RejectReasons.NoImage, "sample has no image member");
        if (raw.Image.Length == 0) return ProcessedSample.Rejected(row, RejectReasons.EmptyFile, $"image member .{raw.ImageExtension} has zero bytes");
        row.Sha256 = Convert.ToHexStringLower(SHA256.HashData(raw.Image));

        byte[] encoded;
        try
        {
            var header = ImageDecoder.ReadHeader(raw.Image);
            (row.OriginalWidth, row.OriginalHeight) = (header.Width, header.Height);
            if (Filter(header) is { } filtered) return ProcessedSample.Rejected(row, filtered.Reason, filtered.Message);
            var image = ImageDecoder.Decode(raw.Image, _decode with { MinShortSide = MinDecodedShortSide(header) });
            var resized = ImageResizer.Resize(image, options.ImageSize, options.ResizeMode);
            (row.Width, row.Height) = (resized.Width, resized.Height);
            encoded = options.OutputFormat == OutputImageFormat.Png
                ? ImageEncoder.EncodePng(resized)
                : ImageEncoder.EncodeJpeg(resized, options.JpegQuality);
        }
        catch (ImageDecodeException e)
        {
            return ProcessedSample.Rejected(row, e.Reason, e.Message);
        }

        List<KeyValuePair<string, byte[]>> files = [new(_extension, encoded)];
        if (caption is not null) files.Add(new("txt", Encoding.UTF8.GetBytes(caption)));
        files.Add(new("json", row.ToJsonBytes()));
        if (raw.Metadata is { Length: > 0 } metadata) files.Add(new("source.json", metadata));
        return new ProcessedSample(row, files);
    }

    private (string Reason, string Message)? Filter(ImageHeader header)
    {
        if (header.PixelCount > options.MaxPixels)
            return (RejectReasons.TooLarge,
                $"{header.Format} header claims {header.Width}×{header.Height} = {header.PixelCount:N0} pixels, more than {options.MaxPixels:N0}");
        var (shortSide, longSide) = (Math.Min(header.Width, header.Height), Math.Max(header.Width, header.Height));
        if (shortSide < options.MinImageSize)
            return (RejectReasons.TooSmall, $"{header.Width}×{header.Height}: short side below {options.MinImageSize}");
        if ((double)longSide / shortSide > options.MaxAspectRatio)
            return (RejectReasons.BadAspect, $"{header.Width}×{header.Height}: aspect ratio above {options.MaxAspectRatio}");
        return null;
    }

    // The short side the decoder must keep so resizing still only shrinks: the target for center_crop/keep_ratio;
    // for border the long side lands on the target, so the short side may shrink in proportion.
    private int MinDecodedShortSide(ImageHeader header)
    {
        if (!options.ReducedSizeDecode) return 0;
        if (options.ResizeMode != ResizeMode.Border) return options.ImageSize;
        var (shortSide, longSide) = (Math.Min(header.Width, header.Height), Math.Max(header.Width, header.Height));
        return (int)Math.Ceiling((double)options.ImageSize * shortSide / longSide);
    }
}
