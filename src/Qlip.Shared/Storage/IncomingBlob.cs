namespace Qlip.Shared.Storage;

/// <summary>A file dropped under <c>incoming/{dataset}/</c>, as named by a BlobCreated event.</summary>
/// <param name="Dataset">The data set folder.</param>
/// <param name="FileName">The file name inside the folder, e.g. <c>00000000.tar</c>.</param>
public sealed record IncomingBlob(string Dataset, string FileName)
{
    /// <summary>The shard id: the file name up to its first dot (webdataset's key rule), e.g. <c>00000000</c>.</summary>
    public string ShardId => FileName.Split('.', 2)[0];

    /// <summary>The extension after the first dot, lower case, e.g. <c>tar</c> or <c>parquet</c>.</summary>
    public string Extension => FileName.Contains('.') ? FileName.Split('.', 2)[1].ToLowerInvariant() : "";

    /// <summary>Where the file lives: <c>incoming/{dataset}/{fileName}</c>.</summary>
    public BlobPath Path => BlobLayout.Incoming(Dataset, FileName);
}
