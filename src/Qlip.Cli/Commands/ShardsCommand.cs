using System.CommandLine;
using Azure.Data.Tables;
using Qlip.Shared.Shards;
using Qlip.Shared.Storage;

namespace Qlip.Cli.Commands;

/// <summary><c>qlip shards add | list</c>: drop shards for ingest, and see what ingest made of them.</summary>
internal static class ShardsCommand
{
    public static Command Create()
    {
        var shards = new Command("shards", "Add shards for ingest and list their status.");
        shards.Subcommands.Add(Add());
        shards.Subcommands.Add(List());
        return shards;
    }

    private static Option<string> DatasetOption() => new("--dataset") { Description = "The data set name (its folder under incoming/ and shards/).", Required = true };

    private static Command Add()
    {
        var paths = new Argument<string[]>("paths") { Description = "Shard files or folders of shards (.tar, .parquet, _stats.json, sizes.json).", Arity = ArgumentArity.OneOrMore };
        var dataset = DatasetOption();
        var add = new Command("add", "Upload shards to incoming/DATASET/ and queue their BlobCreated events for ingest.") { paths, dataset };
        add.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var files = parse.GetRequiredValue(paths);
            ShardUploader.Expand(files); // a missing path fails before anything is uploaded or storage is contacted
            var clients = await CliStorage.ConnectAsync(ct);
            var uploaded = await new ShardUploader(clients, TimeProvider.System).AddAsync(parse.GetRequiredValue(dataset), files, ct);
            foreach (var file in uploaded)
                Console.WriteLine($"{file.Blob}  {file.Bytes:N0} bytes{(file.Queued ? "  → ingest queued" : "")}");
            Console.WriteLine($"{uploaded.Count} files uploaded, {uploaded.Count(f => f.Queued)} shards queued for ingest");
            return 0;
        }));
        return add;
    }

    private static Command List()
    {
        var dataset = DatasetOption();
        var list = new Command("list", "List a data set's shards from the shards table: status and sample counts.") { dataset };
        list.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var name = parse.GetRequiredValue(dataset);
            var clients = await CliStorage.ConnectAsync(ct);
            var table = clients.Table(StorageNames.Tables.Shards);
            long shards = 0, samples = 0;
            await foreach (var row in table.QueryAsync<ShardEntity>(e => e.PartitionKey == name, cancellationToken: ct))
            {
                shards++;
                samples += row.Samples;
                Console.WriteLine($"{row.ShardId}  {row.Status,-9}  {row.Samples,8:N0} samples  {row.Successes,8:N0} with image{(row.Error.Length > 0 ? "  " + row.Error : "")}");
            }
            Console.WriteLine($"{name}: {shards} shards, {samples:N0} samples");
            return 0;
        }));
        return list;
    }
}
