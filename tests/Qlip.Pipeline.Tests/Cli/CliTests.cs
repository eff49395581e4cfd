using Qlip.Data.Making;
using Qlip.Data.Sets;
using Qlip.Shared.Dev;
using Qlip.Shared.Storage;
using Qlip.Testing.Azurite;
using Qlip.Testing.Data;

namespace Qlip.Pipeline.Tests.Cli;

/// <summary>The built `qlip` as a user runs it: bad input gives one clear line; shards go in, ingest counts them.</summary>
[Collection(CliAzuriteCollection.Name)]
public sealed class CliTests(AzuriteFixture azurite)
{
    private Dictionary<string, string> Env => new() { [StorageOptions.ConnectionStringVariable] = azurite.ConnectionString };

    [Fact]
    public async Task Storage_that_is_not_running_is_one_line_saying_run_qlip_dev_up()
    {
        var closed = new Dictionary<string, string> { [StorageOptions.ConnectionStringVariable] = AzuritePorts.PickFree().ConnectionString };

        var (code, stdout, stderr) = await QlipProcess.RunAsync(closed, "shards", "list", "--dataset", "fmnist");

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.EndsWith("is not running: run `qlip dev up`", line);
    }

    [Fact]
    public async Task A_missing_path_is_named()
    {
        var (code, _, stderr) = await QlipProcess.RunAsync(Env, "shards", "add", "/no/such/00000000.tar", "--dataset", "fmnist");

        Assert.Equal(1, code);
        Assert.Equal("qlip: no such file or folder: /no/such/00000000.tar", stderr.Trim());
    }

    [Fact]
    public async Task An_unknown_worker_lists_the_valid_ones()
    {
        var (code, _, stderr) = await QlipProcess.RunAsync(Env, "workers", "transcode");

        Assert.Equal(1, code);
        Assert.StartsWith("qlip: unknown worker 'transcode': choose from ingest", stderr.Trim());
    }

    [Fact]
    public async Task Shards_added_with_the_cli_are_ingested_by_qlip_workers_and_listed_with_their_counts()
    {
        var folder = Directory.CreateTempSubdirectory("qlip-cli-shards-").FullName;
        try
        {
            var made = await DataMaker.MakeAsync(new DataMakeOptions("fashion-mnist", DataSplit.Test, 40, folder) { Limit = 100 }, RealData.Paths);
            var dataset = $"cli-{Guid.NewGuid():N}"[..16];

            var added = await QlipProcess.RunAsync(Env, "shards", "add", folder, "--dataset", dataset);
            using var workers = QlipProcess.Start(Env, "workers", "ingest");
            var stats = Enumerable.Range(0, 3).Select(i => azurite.Clients.Blob(BlobLayout.ShardStats(dataset, $"{i:D8}"))).ToList();
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (!(await Task.WhenAll(stats.Select(s => s.ExistsAsync()))).All(e => e.Value))
            {
                Assert.True(DateTime.UtcNow < deadline, $"ingest did not finish: {workers.Stdout}{workers.Stderr}");
                Assert.False(workers.Process.HasExited, $"qlip workers exited: {workers.Stdout}{workers.Stderr}");
                await Task.Delay(200);
            }
            var listed = await QlipProcess.RunAsync(Env, "shards", "list", "--dataset", dataset);
            var status = await QlipProcess.RunAsync(Env, "status", "--dataset", dataset);

            Assert.Equal(0, added.ExitCode);
            Assert.Contains("3 shards queued for ingest", added.Stdout);
            Assert.Equal(0, listed.ExitCode);
            Assert.Contains($"{dataset}: 3 shards, 100 samples", listed.Stdout);
            Assert.Equal([40L, 40, 20], made.ShardSizes.Values);
            Assert.Contains("00000002  ingested         20 samples", listed.Stdout);
            Assert.Equal(0, status.ExitCode);
            // shards, ingested, needs-caption (Fashion-MNIST has captions), captioned, caption failures, tokenized
            Assert.Matches($@"(?m)^{dataset}\s+3\s+100\s+0\s+0\s+0\s+0$", status.Stdout);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
