using System.Text;
using System.Text.Json;
using Parquet;
using Parquet.Schema;
using Qlip.Data.Tokens;
using Qlip.Data.WebDataset;
using Qlip.Testing.Azurite;
using Qlip.TrainerHost.Tokenize;

namespace Qlip.TrainerHost.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class TokensExportTests(AzuriteFixture azurite, TokenizeInputs inputs) : IClassFixture<TokenizeInputs>, IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("qlip-export-").FullName;

    [Fact]
    public async Task Export_writes_one_standard_parquet_file_with_the_stored_rows_and_webdataset_shards()
    {
        using var harness = new TokenizeHarness(azurite);
        await harness.UploadShardAsync(inputs.ShardTar);
        await harness.UploadCheckpointAsync(inputs.CheckpointFolder);
        await harness.HandleAsync();
        var stored = await harness.Store.ReadAllRowsAsync(await harness.Store.ReadManifestAsync(harness.Dataset, harness.RunId, default), default);
        var export = new TokensExport(harness.Store);

        var path = Path.Combine(_out, "tokens.parquet");
        Assert.Equal(TokenizeInputs.Samples, await export.ToParquetAsync(harness.Dataset, harness.RunId, path, default));

        Assert.Single(Directory.GetFiles(_out));
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.Equal("PAR1", Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal("PAR1", Encoding.ASCII.GetString(bytes, bytes.Length - 4, 4));
        await using (var file = File.OpenRead(path))
        await using (var reader = await ParquetReader.CreateAsync(file))
        {
            Assert.Equal(1, reader.RowGroupCount);
            var fields = reader.Schema.Fields.ToDictionary(f => f.Name);
            Assert.Equal(["Bits", "Caption", "Checkpoint", "GridH", "GridW", "Ids", "Key", "SourceSha256"], fields.Keys.Order());
            foreach (var name in new[] { "Key", "Caption", "SourceSha256", "Checkpoint" })
                Assert.Contains(Assert.IsType<DataField>(fields[name]).ClrType, StringClrTypes); // UTF-8 BYTE_ARRAY
            foreach (var name in new[] { "GridH", "GridW", "Bits" })
                Assert.Equal(typeof(int), Assert.IsType<DataField>(fields[name]).ClrType);
            var ids = Assert.IsType<ListField>(fields["Ids"]); // the standard three-level list<int32>
            Assert.Equal(typeof(int), Assert.IsType<DataField>(ids.Item).ClrType);
        }
        await using (var file = File.OpenRead(path))
            AssertSameRows(stored, await TokensParquet.ReadAsync(file));

        var shards = Path.Combine(_out, "wds");
        Assert.Equal(TokenizeInputs.Samples, await export.ToWebDatasetAsync(harness.Dataset, harness.RunId, shards, default));
        var samples = new List<WebDatasetSample>();
        await using (var tar = File.OpenRead(Path.Combine(shards, "00000000.tar")))
            await foreach (var sample in WebDatasetReader.ReadAsync(tar)) samples.Add(sample);
        Assert.Equal(stored.Select(r => r.Key), samples.Select(s => s.Key));
        Assert.Equal(stored.Select(r => r.Caption), samples.Select(s => Encoding.UTF8.GetString(s.Get("txt")!)));
        Assert.Equal(stored.Select(r => r.Ids), samples.Select(s =>
            JsonDocument.Parse(s.Get("json")!).RootElement.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray()));
    }

    [Fact]
    public async Task Export_of_a_dataset_without_tokens_names_it()
    {
        using var harness = new TokenizeHarness(azurite);
        var error = await Assert.ThrowsAsync<FileNotFoundException>(
            () => new TokensExport(harness.Store).ToParquetAsync(harness.Dataset, "nope", Path.Combine(_out, "x.parquet"), default));
        Assert.Contains(harness.Dataset, error.Message);
        Assert.Empty(Directory.GetFiles(_out));
    }

    // How Parquet.Net presents a UTF-8 string column (version-dependent).
    private static readonly Type[] StringClrTypes = [typeof(string), typeof(ReadOnlyMemory<char>)];

    public void Dispose() => Directory.Delete(_out, recursive: true);

    private static void AssertSameRows(IReadOnlyList<TokenRow> expected, IReadOnlyList<TokenRow> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            Assert.Equal((e.Key, e.Caption, e.GridH, e.GridW, e.Bits, e.SourceSha256, e.Checkpoint),
                (a.Key, a.Caption, a.GridH, a.GridW, a.Bits, a.SourceSha256, a.Checkpoint));
            Assert.Equal(e.Ids, a.Ids);
        }
    }
}
