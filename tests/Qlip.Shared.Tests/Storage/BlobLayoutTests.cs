using Qlip.Shared.Storage;

namespace Qlip.Shared.Tests.Storage;

public sealed class BlobLayoutTests
{
    [Fact]
    public void Builds_the_documented_paths()
    {
        Assert.Equal("incoming/fmnist/00000003.tar", BlobLayout.Incoming("fmnist", "00000003.tar").ToString());
        Assert.Equal("shards/fmnist/00000003.tar", BlobLayout.ShardTar("fmnist", BlobLayout.ShardId(3)).ToString());
        Assert.Equal("shards/fmnist/00000003_stats.json", BlobLayout.ShardStats("fmnist", "00000003").ToString());
        Assert.Equal("shards/fmnist/sizes.json", BlobLayout.Sizes("fmnist").ToString());
        Assert.Equal("shards/fmnist/captions/00000003.parquet", BlobLayout.Captions("fmnist", "00000003").ToString());
        Assert.Equal("tokens/fmnist/run-1_step-500/00000003.parquet", BlobLayout.Tokens("fmnist", "run-1_step-500", "00000003").ToString());
        Assert.Equal("checkpoints/run-1/step-500.safetensors", BlobLayout.Checkpoint("run-1", "step-500.safetensors").ToString());
        Assert.Equal("runs/run-1/metrics.jsonl", BlobLayout.RunMetrics("run-1").ToString());
        Assert.Equal("00012345", BlobLayout.ShardId(12345));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("x..y")]
    [InlineData("has space")]
    public void Rejects_a_segment_that_could_escape_its_folder(string dataset)
    {
        var error = Assert.Throws<ArgumentException>(() => BlobLayout.Incoming(dataset, "00000000.tar"));
        Assert.Contains("dataset", error.Message);
    }

    [Theory]
    [InlineData("https://acct.blob.core.windows.net/incoming/fmnist/00000001.tar")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1/incoming/fmnist/00000001.tar")]
    public void Parses_incoming_urls_of_azure_and_azurite(string url)
    {
        var incoming = BlobLayout.ParseIncoming(new Uri(url));

        Assert.NotNull(incoming);
        Assert.Equal("fmnist", incoming.Dataset);
        Assert.Equal("00000001", incoming.ShardId);
        Assert.Equal("tar", incoming.Extension);
        Assert.Equal(BlobLayout.Incoming("fmnist", "00000001.tar"), incoming.Path);
    }

    [Theory]
    [InlineData("https://acct.blob.core.windows.net/shards/fmnist/00000001.tar")]
    [InlineData("https://acct.blob.core.windows.net/incoming/00000001.tar")]
    [InlineData("https://acct.blob.core.windows.net/incoming/a/b/00000001.tar")]
    public void Does_not_read_other_blobs_as_incoming(string url) =>
        Assert.Null(BlobLayout.ParseIncoming(new Uri(url)));
}
