using Qlip.Data.WebDataset;

namespace Qlip.Ingest.Processing;

/// <summary>
/// The outcome for one input sample: its metadata row (status <c>success</c> or a reason code) and, on success, the tar
/// members to write under <see cref="SampleMetadata.Key"/> (image, <c>txt</c> when captioned, <c>json</c>, and the
/// source's own metadata as <c>source.json</c> when it had any).
/// </summary>
public sealed record ProcessedSample(SampleMetadata Row, IReadOnlyList<KeyValuePair<string, byte[]>>? Files)
{
    public bool Succeeded => Files is not null;

    /// <summary>A dropped sample.</summary>
    public static ProcessedSample Rejected(SampleMetadata row, string reason, string message)
    {
        row.Status = reason;
        row.ErrorMessage = message;
        return new ProcessedSample(row, null);
    }
}
