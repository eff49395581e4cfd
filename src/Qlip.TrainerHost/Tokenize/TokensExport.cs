using System.Text;
using System.Text.Json;
using Qlip.Data.Tokens;
using Qlip.Data.WebDataset;

namespace Qlip.TrainerHost.Tokenize;

/// <summary>
/// Writes a stored tokens dataset for users who do not run Qlip: one standard Parquet file (string, int32,
/// list&lt;int32&gt; columns; pyarrow, pandas and DuckDB open it), or webdataset shards with <c>{key}.txt</c> (caption)
/// and <c>{key}.json</c> (<c>{"ids": [...], "grid_h", "grid_w", "bits", "sha256", "checkpoint"}</c>).
/// </summary>
public sealed class TokensExport(TokensStore store)
{
    /// <summary>Samples per exported webdataset shard.</summary>
    public const int WebDatasetShardSize = 10_000;

    /// <summary>Writes every row of the dataset to the Parquet file <paramref name="path"/>; returns the row count.</summary>
    public async Task<int> ToParquetAsync(string dataset, string checkpoint, string path, CancellationToken ct)
    {
        var rows = await store.ReadAllRowsAsync(await store.ReadManifestAsync(dataset, checkpoint, ct), ct);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await using var file = File.Create(path);
        await TokensParquet.WriteAsync(rows, file, ct);
        return rows.Count;
    }

    /// <summary>Writes webdataset shards <c>NNNNNNNN.tar</c> into <paramref name="folder"/>; returns the row count.</summary>
    public async Task<int> ToWebDatasetAsync(string dataset, string checkpoint, string folder, CancellationToken ct)
    {
        var rows = await store.ReadAllRowsAsync(await store.ReadManifestAsync(dataset, checkpoint, ct), ct);
        Directory.CreateDirectory(folder);
        for (var shard = 0; shard * WebDatasetShardSize < rows.Count; shard++)
        {
            await using var file = File.Create(Path.Combine(folder, ShardNames.Tar(shard)));
            await using var writer = new WebDatasetWriter(file);
            foreach (var row in rows.Skip(shard * WebDatasetShardSize).Take(WebDatasetShardSize))
                await writer.WriteAsync(row.Key, [new("txt", Encoding.UTF8.GetBytes(row.Caption)), new("json", IdsJson(row))], ct);
        }
        return rows.Count;
    }

    private static byte[] IdsJson(TokenRow row)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("grid_h", row.GridH);
            json.WriteNumber("grid_w", row.GridW);
            json.WriteNumber("bits", row.Bits);
            json.WriteString("sha256", row.SourceSha256);
            json.WriteString("checkpoint", row.Checkpoint);
            json.WriteStartArray("ids");
            foreach (var id in row.Ids) json.WriteNumberValue(id);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
