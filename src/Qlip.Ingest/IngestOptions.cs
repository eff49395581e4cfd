using System.ComponentModel.DataAnnotations;

namespace Qlip.Ingest;

/// <summary>Ingest settings (section <c>Ingest</c>).</summary>
public sealed class IngestOptions
{
    public const string SectionName = "Ingest";

    /// <summary>A tar member larger than this fails the shard instead of exhausting memory.</summary>
    [Range(1024, 4L << 30)]
    public long MaxMemberBytes { get; set; } = 256L << 20;

    /// <summary>Extensions that make a sample usable (it has an image).</summary>
    [MinLength(1)]
    public string[] ImageExtensions { get; set; } = ["jpg", "jpeg", "png", "webp"];
}
