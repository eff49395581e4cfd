using Qlip.Shared.Messages;

namespace Qlip.Ingest.Sharding;

/// <summary>
/// The caption requests for a shard's caption-less samples. When every sample lacks a caption (SA-1B) one request
/// without keys covers the shard; otherwise keys are split over as many requests as needed to keep each message well
/// under the 64 KiB queue limit.
/// </summary>
public static class CaptionRequests
{
    /// <summary>JSON budget of one request's keys, leaving room for the other fields and base64's 4/3.</summary>
    public const int KeysBudgetBytes = 40 * 1024;

    public static IEnumerable<CaptionRequest> For(string dataset, string shardId, IReadOnlyList<string> keys, bool allSamples, string backend)
    {
        if (keys.Count == 0) yield break;
        if (allSamples)
        {
            yield return new CaptionRequest { Dataset = dataset, ShardId = shardId, Backend = backend, Policy = CaptionPolicy.FillMissing };
            yield break;
        }
        var chunk = new List<string>();
        var bytes = 0;
        foreach (var key in keys)
        {
            // Keys are sanitised to [A-Za-z0-9_-], so each costs its length plus quotes and a comma in JSON.
            if (bytes + key.Length + 3 > KeysBudgetBytes && chunk.Count > 0)
            {
                yield return Request(chunk);
                (chunk, bytes) = ([], 0);
            }
            chunk.Add(key);
            bytes += key.Length + 3;
        }
        yield return Request(chunk);

        CaptionRequest Request(List<string> part) =>
            new() { Dataset = dataset, ShardId = shardId, Keys = part, Backend = backend, Policy = CaptionPolicy.FillMissing };
    }
}
