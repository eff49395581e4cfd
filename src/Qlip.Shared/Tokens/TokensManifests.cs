using System.Runtime.CompilerServices;
using Azure.Storage.Blobs.Models;
using Qlip.Data.Tokens;
using Qlip.Shared.Storage;

namespace Qlip.Shared.Tokens;

/// <summary>The tokens manifests of a data set, one per checkpoint that tokenized it (<c>tokens/{dataset}/{checkpoint}/manifest.json</c>).</summary>
public static class TokensManifests
{
    /// <summary>Every tokens manifest of <paramref name="dataset"/>, in blob-name (checkpoint id) order; none when nothing was tokenized.</summary>
    public static async IAsyncEnumerable<TokensManifest> ReadAllAsync(StorageClients clients, string dataset,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var container = clients.Blobs.GetBlobContainerClient(StorageNames.Containers.Tokens);
        if (!(await container.ExistsAsync(ct)).Value) yield break;
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{dataset}/", ct))
        {
            var parts = item.Name.Split('/');
            if (parts.Length != 3 || parts[2] != "manifest.json") continue;
            yield return TokensManifest.FromJson((await container.GetBlobClient(item.Name).DownloadContentAsync(ct)).Value.Content.ToMemory().Span);
        }
    }
}
