using System.CommandLine;
using Azure;
using Qlip.Captioning.Backends;
using Qlip.Shared.Manifests;
using Qlip.Shared.Messages;
using Qlip.Shared.Storage;

namespace Qlip.Cli.Commands;

/// <summary><c>qlip caption --dataset D [--backend openai] [--replace]</c>: one caption request per ingested shard.</summary>
internal static class CaptionCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "The data set whose ingested shards to caption.", Required = true };
        var backend = new Option<string>("--backend") { Description = "The captioning backend (openai, zero-shot).", DefaultValueFactory = _ => OpenAICaptionBackend.BackendName };
        var replace = new Option<bool>("--replace") { Description = "Recaption every sample, not only those without a caption." };
        var caption = new Command("caption", "Queue caption requests for every ingested shard of a data set.") { dataset, backend, replace };
        caption.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var name = parse.GetRequiredValue(dataset);
            var clients = await CliStorage.ConnectAsync(ct);
            ShardManifest manifest;
            try
            {
                manifest = ShardManifest.Parse((await clients.Blob(BlobLayout.ShardManifest(name)).DownloadContentAsync(ct)).Value.Content.ToMemory().Span);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                throw new CommandException($"data set '{name}' has no ingested shards ({BlobLayout.ShardManifest(name)} does not exist)");
            }
            var policy = parse.GetValue(replace) ? CaptionPolicy.Replace : CaptionPolicy.FillMissing;
            var queue = clients.Queue(StorageNames.Queues.Caption);
            foreach (var shard in manifest.Shards)
            {
                var request = new CaptionRequest { Dataset = name, ShardId = shard.Id, Backend = parse.GetRequiredValue(backend), Policy = policy };
                await queue.SendMessageAsync(QueueMessageCodec.Encode(request, QueueBodyEncoding.Base64), ct);
            }
            Console.WriteLine($"{name}: {manifest.Shards.Count} caption requests queued ({parse.GetRequiredValue(backend)}, {(policy == CaptionPolicy.Replace ? "replace" : "fill-missing")})");
            return 0;
        }));
        return caption;
    }
}
