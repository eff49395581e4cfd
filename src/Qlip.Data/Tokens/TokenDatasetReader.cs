using System.Runtime.CompilerServices;

namespace Qlip.Data.Tokens;

/// <summary>
/// Streams a tokens dataset as shuffled batches for the token-level trainers (T2I, UM3): shard order is permuted
/// per epoch and rows pass a shuffle buffer that spans shard boundaries. Same seed and epoch → same batches.
/// </summary>
/// <param name="manifest">The dataset to read.</param>
/// <param name="open">Opens a manifest path (relative to the manifest's folder) for reading.</param>
/// <param name="seed">Base seed; epoch e uses seed + e.</param>
/// <param name="shuffleBuffer">Rows held for shuffling (1 = manifest order within shards).</param>
public sealed class TokenDatasetReader(
    TokensManifest manifest, Func<string, CancellationToken, Task<Stream>> open, int seed, int shuffleBuffer = 4096)
{
    /// <summary>Batches of <paramref name="batchSize"/> rows; the last, smaller batch is kept unless <paramref name="dropLast"/>.</summary>
    public async IAsyncEnumerable<IReadOnlyList<TokenRow>> ReadBatchesAsync(
        int batchSize, int epoch = 0, bool dropLast = false, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(shuffleBuffer, 1);
        var random = new Random(seed + epoch);
        var batch = new List<TokenRow>(batchSize);
        await foreach (var row in ShuffledRowsAsync(random, ct))
        {
            batch.Add(row);
            if (batch.Count == batchSize) { yield return batch; batch = new List<TokenRow>(batchSize); }
        }
        if (batch.Count > 0 && !dropLast) yield return batch;
    }

    private async IAsyncEnumerable<TokenRow> ShuffledRowsAsync(Random random, [EnumeratorCancellation] CancellationToken ct)
    {
        var files = manifest.Files.ToArray();
        random.Shuffle(files);
        var buffer = new List<TokenRow>(Math.Min(shuffleBuffer, 65_536));
        foreach (var file in files)
        {
            IReadOnlyList<TokenRow> rows;
            await using (var stream = await open(file.Path, ct))
                rows = await TokensParquet.ReadAsync(stream, ct);
            if (rows.Count != file.Rows)
                throw new InvalidDataException($"tokens file '{file.Path}': {rows.Count} rows, manifest says {file.Rows}");
            foreach (var row in rows)
            {
                if (buffer.Count < shuffleBuffer) { buffer.Add(row); continue; }
                int pick = random.Next(buffer.Count);
                yield return buffer[pick];
                buffer[pick] = row;
            }
        }
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(buffer));
        foreach (var row in buffer) yield return row;
    }
}
