using Parquet;
using Parquet.Schema;
using Qlip.Data.Tokens;

namespace Qlip.Data.Tests.Tokens;

public class TokensDatasetTests
{
    private static TokenRow Row(string key, int shard, params int[] ids) => new()
    {
        Key = key, Caption = $"caption of {key}", GridH = 2, GridW = ids.Length / 2, Bits = 28, Ids = ids,
        SourceSha256 = new string('a', 64), Checkpoint = $"ckpt-{shard}",
    };

    private static async Task<byte[]> WriteAsync(IReadOnlyCollection<TokenRow> rows)
    {
        using var stream = new MemoryStream();
        await TokensParquet.WriteAsync(rows, stream);
        return stream.ToArray();
    }

    [Fact]
    public async Task Rows_round_trip_exactly_including_28_bit_ids()
    {
        TokenRow[] rows = [Row("a", 0, (1 << 28) - 1, 0, 1 << 27, 178956970), Row("b", 0, 5, 6, 7, 8)];
        var read = await TokensParquet.ReadAsync(new MemoryStream(await WriteAsync(rows)));
        Assert.Equal(rows.Select(r => (r.Key, r.Caption, r.GridH, r.GridW, r.Bits, r.SourceSha256, r.Checkpoint)),
            read.Select(r => (r.Key, r.Caption, r.GridH, r.GridW, r.Bits, r.SourceSha256, r.Checkpoint)));
        Assert.Equal(rows.Select(r => r.Ids), read.Select(r => r.Ids));
    }

    [Fact]
    public async Task File_uses_only_standard_parquet_types()
    {
        await using var reader = await ParquetReader.CreateAsync(new MemoryStream(await WriteAsync([Row("a", 0, 1, 2)])));
        var fields = reader.Schema.Fields.ToDictionary(f => f.Name);
        Assert.Equal(["Key", "Caption", "GridH", "GridW", "Bits", "Ids", "SourceSha256", "Checkpoint"], fields.Keys);
        var ids = Assert.IsType<ListField>(fields["Ids"]);
        Assert.Equal(typeof(int), Assert.IsType<DataField>(ids.Item).ClrType);
        // Parquet.Net surfaces UTF-8 strings as ReadOnlyMemory<char>; either way a plain BYTE_ARRAY/UTF8 column.
        Assert.Contains(((DataField)fields["Key"]).ClrType, new[] { typeof(string), typeof(ReadOnlyMemory<char>) });
        Assert.Equal(typeof(int), ((DataField)fields["GridH"]).ClrType);
    }

    [Theory]
    [InlineData(28, 3, "3 ids for a 2×2 grid")]
    [InlineData(4, 4, "id 16 outside [0, 2^4)")]
    [InlineData(32, 4, "bits 32 outside 1..31")]
    public async Task Inconsistent_rows_are_rejected_naming_the_key(int bits, int count, string expected)
    {
        var row = new TokenRow { Key = "bad-key", GridH = 2, GridW = 2, Bits = bits, Ids = [.. Enumerable.Range(13, count)] };
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => WriteAsync([row]));
        Assert.Contains("bad-key", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Manifest_replaces_a_retokenized_shard_and_keeps_files_sorted()
    {
        var manifest = new TokensManifest { Dataset = "d", Checkpoint = "c", Bits = 28, GridH = 8, GridW = 8, Files = [] }
            .With(new("00000001", "00000001.parquet", 10))
            .With(new("00000000", "00000000.parquet", 5))
            .With(new("00000001", "00000001.parquet", 12));
        var back = TokensManifest.FromJson(manifest.ToJson());
        Assert.Equal(["00000000", "00000001"], back.Files.Select(f => f.ShardId));
        Assert.Equal(17, back.TotalRows);
    }

    private static async Task<(TokensManifest, Dictionary<string, byte[]>)> ThreeShardsAsync()
    {
        var files = new Dictionary<string, byte[]>();
        var manifest = new TokensManifest { Dataset = "d", Checkpoint = "c", Bits = 28, GridH = 2, GridW = 1, Files = [] };
        for (int s = 0; s < 3; s++)
        {
            var rows = Enumerable.Range(0, 40).Select(i => Row($"s{s}-{i}", s, s, i)).ToArray();
            var name = $"{s:D8}.parquet";
            files[name] = await WriteAsync(rows);
            manifest = manifest.With(new($"{s:D8}", name, rows.Length));
        }
        return (manifest, files);
    }

    private static async Task<List<List<string>>> BatchesAsync(TokenDatasetReader reader, int epoch)
    {
        var batches = new List<List<string>>();
        await foreach (var batch in reader.ReadBatchesAsync(16, epoch))
            batches.Add([.. batch.Select(r => r.Key)]);
        return batches;
    }

    [Fact]
    public async Task Reader_yields_every_row_once_shuffled_across_shards_and_reproducibly()
    {
        var (manifest, files) = await ThreeShardsAsync();
        Task<Stream> Open(string path, CancellationToken _) => Task.FromResult<Stream>(new MemoryStream(files[path]));

        var epoch0 = await BatchesAsync(new TokenDatasetReader(manifest, Open, seed: 7, shuffleBuffer: 64), 0);
        var again = await BatchesAsync(new TokenDatasetReader(manifest, Open, seed: 7, shuffleBuffer: 64), 0);
        var epoch1 = await BatchesAsync(new TokenDatasetReader(manifest, Open, seed: 7, shuffleBuffer: 64), 1);

        var all = epoch0.SelectMany(b => b).ToList();
        Assert.Equal(120, all.Count);
        Assert.Equal(120, all.Distinct().Count());
        Assert.Equal([16, 16, 16, 16, 16, 16, 16, 8], epoch0.Select(b => b.Count));
        Assert.Equal(epoch0, again);
        Assert.NotEqual(epoch0, epoch1);
        // A buffer wider than a shard mixes shards inside one batch.
        Assert.Contains(epoch0, batch => batch.Select(k => k[..2]).Distinct().Count() > 1);
    }

    [Fact]
    public async Task Reader_names_a_file_whose_row_count_disagrees_with_the_manifest()
    {
        var (manifest, files) = await ThreeShardsAsync();
        manifest = manifest.With(new("00000002", "00000002.parquet", 41));
        var reader = new TokenDatasetReader(manifest, (p, _) => Task.FromResult<Stream>(new MemoryStream(files[p])), seed: 1);
        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await BatchesAsync(reader, 0));
        Assert.Contains("00000002.parquet", error.Message);
    }
}
