using Qlip.Data.Captions;
using Qlip.Data.Images;
using Qlip.Data.Sets;

namespace Qlip.Data.Making;

/// <summary>The packaged sources <c>qlip data make</c> can turn into shards, each as a stream of <see cref="SourceSample"/>.</summary>
public static class DataSources
{
    /// <summary>The valid <c>--source</c> names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["fashion-mnist", "mnist", "emoji", "openclipart"];

    /// <summary>The samples of <paramref name="source"/>'s <paramref name="split"/>, in a fixed order.</summary>
    /// <exception cref="ArgumentException">Unknown source; the message lists the valid ones.</exception>
    /// <exception cref="DataNotFoundException">The source's package is not installed.</exception>
    public static IEnumerable<SourceSample> Open(string source, DataSplit split, DataPaths paths) => source switch
    {
        "fashion-mnist" => FromMnist(MnistDataset.LoadFashion(paths, split), CaptionTemplates.FashionMnist),
        "mnist" => FromMnist(MnistDataset.LoadMnist(paths, split), CaptionTemplates.Mnist),
        "emoji" => FromEmoji(EmojiDataset.Load(paths, split)),
        "openclipart" => FromOpenClipart(OpenClipartDataset.Load(paths, split)),
        _ => throw new ArgumentException($"unknown source '{source}'; valid sources: {string.Join(", ", Names)}", nameof(source)),
    };

    private static IEnumerable<SourceSample> FromMnist(MnistDataset set, Func<int, long, string> caption)
    {
        for (var i = 0; i < set.Count; i++)
        {
            int label = set.Labels[i];
            var png = ImageEncoder.EncodeGrayPng(set.Image(i), set.Width, set.Height);
            yield return new SourceSample(set.Name, i.ToString(System.Globalization.CultureInfo.InvariantCulture), png, "png",
                set.Width, set.Height, caption(label, i), label, set.ClassNames[label]);
        }
    }

    private static IEnumerable<SourceSample> FromEmoji(IReadOnlyList<EmojiItem> items)
    {
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            yield return FromFile("emoji", item.Unified, item.ImagePath, CaptionTemplates.ForEmoji(item, i), item.Name);
        }
    }

    private static IEnumerable<SourceSample> FromOpenClipart(IReadOnlyList<OpenClipartItem> items)
    {
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            OpenClipartMetadata metadata;
            try
            {
                metadata = OpenClipartMetadata.Read(item.SvgPath);
            }
            catch (System.Xml.XmlException)
            {
                // A malformed SVG loses only its title and keywords; the caption falls back to the file name.
                metadata = new OpenClipartMetadata(null, []);
            }
            var caption = CaptionTemplates.OpenClipart(metadata.Title, metadata.Keywords, item.RelativePath, i);
            yield return FromFile("openclipart", item.RelativePath, item.PngPath, caption, className: null);
        }
    }

    // Packaged image files are written as they are (no re-encode), so the sha256 is the file's.
    private static SourceSample FromFile(string source, string id, string path, string caption, string? className)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            var header = ImageDecoder.ReadHeader(bytes);
            var extension = header.Format == ImageFileFormat.Jpeg ? "jpg" : header.Format.ToString().ToLowerInvariant();
            return new SourceSample(source, id, bytes, extension, header.Width, header.Height, caption, ClassName: className);
        }
        catch (ImageDecodeException e)
        {
            return new SourceSample(source, id, bytes, "", 0, 0, caption, ClassName: className,
                FailureReason: e.Reason, FailureMessage: $"{path}: {e.Message}");
        }
    }
}
