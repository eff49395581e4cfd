using System.CommandLine;
using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs.Models;
using Qlip.Data.WebDataset;
using Qlip.ML.Checkpoints;
using Qlip.Shared.Checkpoints;
using Qlip.Shared.Messages;
using Qlip.Shared.Storage;
using Qlip.TrainerHost.Tokenize;

namespace Qlip.Cli.Commands;

/// <summary><c>qlip tokenize-dataset</c> (queue every clean shard for tokenization) and <c>qlip export</c> (tokens → files).</summary>
internal static class TokensCommands
{
    public static Command TokenizeDataset()
    {
        var dataset = new Option<string>("--dataset") { Description = "The data set whose clean shards (shards/DATASET/) to tokenize.", Required = true };
        var checkpoint = new Option<string>("--checkpoint")
        {
            Description = "The checkpoint: a blob URL of its model.safetensors, or a local folder with config.json and model.safetensors (uploaded to checkpoints/FOLDER/).",
            Required = true,
        };
        var command = new Command("tokenize-dataset", "Queue one tokenize request per clean shard of a data set.") { dataset, checkpoint };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var name = parse.GetRequiredValue(dataset);
            var clients = await CliStorage.ConnectAsync(ct);
            var uri = await CheckpointUriAsync(clients, parse.GetRequiredValue(checkpoint), ct);
            var sizes = await ReadSizesAsync(clients, name, ct);
            var queue = clients.Queue(StorageNames.Queues.Tokenize);
            foreach (var shard in sizes.Keys)
            {
                var request = new TokenizeRequest { Dataset = name, ShardId = Path.GetFileNameWithoutExtension(shard), CheckpointUri = uri };
                await queue.SendMessageAsync(QueueMessageCodec.Encode(request, QueueBodyEncoding.Base64), ct);
            }
            Console.WriteLine($"{name}: {sizes.Count} shards ({sizes.Values.Sum():N0} samples) queued for tokenization with " +
                              $"{CheckpointId.Of(uri)}; tokens go to {StorageNames.Containers.Tokens}/{name}/{CheckpointId.Of(uri)}/");
            return 0;
        }));
        return command;
    }

    public static Command Export()
    {
        var dataset = new Option<string>("--dataset") { Description = "The tokenized data set.", Required = true };
        var checkpoint = new Option<string>("--checkpoint") { Description = "The checkpoint id the tokens were made with (its folder name).", Required = true };
        var format = new Option<string>("--format") { Description = "parquet (one file) or webdataset (shards of {key}.txt + {key}.json).", DefaultValueFactory = _ => "parquet" };
        format.AcceptOnlyFromAmong("parquet", "webdataset");
        var output = new Option<string>("--out") { Description = "The Parquet file, or the folder for webdataset shards.", Required = true };
        var command = new Command("export", "Write a tokens dataset as standard Parquet or webdataset for use without Qlip.") { dataset, checkpoint, format, output };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var clients = await CliStorage.ConnectAsync(ct);
            var export = new TokensExport(new TokensStore(clients));
            var (name, id, path) = (parse.GetRequiredValue(dataset), CheckpointIdArgument(parse.GetRequiredValue(checkpoint)), parse.GetRequiredValue(output));
            var rows = parse.GetValue(format) == "webdataset"
                ? await export.ToWebDatasetAsync(name, id, path, ct)
                : await export.ToParquetAsync(name, id, path, ct);
            Console.WriteLine($"{name}/{id}: {rows:N0} rows written to {path}");
            return 0;
        }));
        return command;
    }

    // Accepts the id itself or the checkpoint's URL, as tokenize-dataset was given.
    private static string CheckpointIdArgument(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme.StartsWith("http", StringComparison.Ordinal) ? CheckpointId.Of(uri) : value;

    private static async Task<SortedDictionary<string, long>> ReadSizesAsync(StorageClients clients, string dataset, CancellationToken ct)
    {
        var blob = clients.Blob(BlobLayout.Sizes(dataset));
        try
        {
            return DatasetSizes.Parse((await blob.DownloadContentAsync(ct)).Value.Content.ToMemory().Span);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new CommandException($"data set '{dataset}' has no clean shards ({blob.BlobContainerName}/{blob.Name} not found): ingest it first");
        }
    }

    // A local folder is uploaded once to checkpoints/{folder name}/; an existing different checkpoint there is an error.
    private static async Task<Uri> CheckpointUriAsync(StorageClients clients, string value, CancellationToken ct)
    {
        if (!Directory.Exists(value))
            return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme.StartsWith("http", StringComparison.Ordinal)
                ? uri
                : throw new FileNotFoundException($"checkpoint '{value}' is neither a folder nor a blob URL", value);
        var runId = new DirectoryInfo(value).Name;
        foreach (var file in new[] { QlipCheckpoint.ConfigFile, QlipCheckpoint.WeightsFile })
        {
            var local = Path.Combine(value, file);
            if (!File.Exists(local)) throw new FileNotFoundException($"checkpoint folder {value} has no {file}", local);
            byte[] hash;
            await using (var stream = File.OpenRead(local)) hash = await MD5.HashDataAsync(stream, ct);
            var blob = clients.Blob(BlobLayout.Checkpoint(runId, file));
            try
            {
                await using var stream = File.OpenRead(local);
                await blob.UploadAsync(stream, new BlobUploadOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentHash = hash },
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                }, ct);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                var stored = (await blob.GetPropertiesAsync(cancellationToken: ct)).Value.ContentHash;
                if (stored is null || !stored.AsSpan().SequenceEqual(hash))
                    throw new CommandException($"{blob.BlobContainerName}/{blob.Name} already holds a different checkpoint: rename the folder {value}");
            }
        }
        return clients.Blob(BlobLayout.Checkpoint(runId, QlipCheckpoint.WeightsFile)).Uri;
    }
}
