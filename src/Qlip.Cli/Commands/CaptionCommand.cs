using System.CommandLine;
using Azure;
using Qlip.Shared.Manifests;
using Qlip.Shared.Messages;
using Qlip.Shared.Storage;

namespace Qlip.Cli.Commands;

/// <summary>
/// <c>qlip caption --dataset D [--backend zeroshot|openai] [--checkpoint run:ID] [--labels FILE] [--replace]</c>: one caption
/// request per ingested shard.
/// </summary>
internal static class CaptionCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "The data set whose ingested shards to caption.", Required = true };
        var backend = new Option<string>("--backend")
        {
            Description = $"The captioning backend ({CaptionBackendNames.ZeroShot}, {CaptionBackendNames.OpenAI}).", DefaultValueFactory = _ => CaptionBackendNames.ZeroShot,
        };
        var checkpoint = new Option<string?>("--checkpoint")
        {
            Description = "zeroshot: run:<id> (its newest complete checkpoint), a blob path <container>/<folder> or a blob URL; default: the host's Captioning__Checkpoint",
        };
        var labels = new Option<FileInfo?>("--labels") { Description = "zeroshot: a file with one label per line (default: the ImageNet-1k class names)" };
        var replace = new Option<bool>("--replace") { Description = "Recaption every sample, not only those without a caption." };
        var caption = new Command("caption", "Queue caption requests for every ingested shard of a data set.") { dataset, backend, checkpoint, labels, replace };
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
            var vocabulary = parse.GetValue(labels) is { } file ? ReadLabels(file) : null;
            var queue = clients.Queue(StorageNames.Queues.Caption);
            foreach (var shard in manifest.Shards)
            {
                var request = new CaptionRequest
                {
                    Dataset = name, ShardId = shard.Id, Backend = parse.GetRequiredValue(backend), Policy = policy,
                    Checkpoint = parse.GetValue(checkpoint), Labels = vocabulary,
                };
                if (request.Validate() is { } problem) throw new CommandException(problem);
                string body;
                try
                {
                    body = QueueMessageCodec.Encode(request, QueueBodyEncoding.Base64);
                }
                catch (InvalidOperationException e)
                {
                    throw new CommandException($"--labels: {vocabulary?.Count} labels do not fit in one queue message ({e.Message})");
                }
                await queue.SendMessageAsync(body, ct);
            }
            Console.WriteLine($"{name}: {manifest.Shards.Count} caption requests queued ({parse.GetRequiredValue(backend)}, {(policy == CaptionPolicy.Replace ? "replace" : "fill-missing")})");
            return 0;
        }));
        return caption;
    }

    /// <summary>One label per line; blank lines and lines starting with '#' are skipped.</summary>
    private static List<string> ReadLabels(FileInfo file)
    {
        if (!file.Exists) throw new CommandException($"--labels: {file.FullName} does not exist");
        var labels = File.ReadLines(file.FullName).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        return labels.Count > 0 ? labels : throw new CommandException($"--labels: {file.FullName} has no labels");
    }
}
