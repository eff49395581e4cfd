using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Qlip.Data.Sets;
using Qlip.ML.Inference;
using Qlip.ML.Text;
using Qlip.Shared.Checkpoints;
using Qlip.Shared.Messages;
using Qlip.Shared.Queues;
using Qlip.Shared.Storage;

namespace Qlip.Captioning.Backends;

/// <summary>
/// <c>zeroshot</c>: local and free. A QLIP checkpoint (the request's, else <see cref="CaptioningOptions.Checkpoint"/>)
/// ranks a label vocabulary (the request's labels, else the ImageNet-1k class names) with <see cref="PromptTemplates.Default"/>
/// through <see cref="QlipPipeline.ZeroShotProbabilities(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor)"/>, and
/// <see cref="ZeroShotCaption"/> turns the ranking into a caption with its confidence. Checkpoints load once per process
/// through the shared <see cref="CheckpointCache{T}"/>; a request whose checkpoint cannot be found or loaded fails as a
/// whole, naming it (retried: a run may still write its first checkpoint), and one with no checkpoint named anywhere is
/// a permanent failure (poisoned at once, naming the setting).
/// </summary>
public sealed partial class ZeroShotCaptionBackend : ICaptionBackend, IDisposable
{
    public const string BackendName = CaptionBackendNames.ZeroShot;

    private readonly StorageClients clients;
    private readonly CaptioningOptions options;
    private readonly CheckpointCache<QlipPipeline> checkpoints;
    private readonly ConcurrentDictionary<string, Lazy<Task<ZeroShotCaptioner>>> captioners = new(StringComparer.Ordinal);
    private readonly Lazy<IReadOnlyList<string>> imageNetLabels = new(() => [.. ImageNetClasses.Load(DataPaths.Resolve()).Select(c => c.Name)]);
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly ILogger<ZeroShotCaptionBackend> logger;

    public ZeroShotCaptionBackend(StorageClients clients, IOptions<CaptioningOptions> options, ILogger<ZeroShotCaptionBackend> logger)
    {
        (this.clients, this.options, this.logger) = (clients, options.Value, logger);
        var device = this.options.Device;
        checkpoints = new CheckpointCache<QlipPipeline>(clients, this.options.ResolveCheckpointCacheFolder(),
            (_, directory) => QlipPipeline.Load(directory, new QlipPipelineOptions { Device = device }), logger);
    }

    public string Name => BackendName;

    public async Task<ICaptioner> OpenAsync(CaptionRequest request, CancellationToken ct)
    {
        var what = $"zeroshot caption request for {request.Dataset}/{request.ShardId}";
        // Nothing names a checkpoint: a configuration problem no retry fixes, so the message is poisoned at once.
        var reference = request.Checkpoint ?? options.Checkpoint
            ?? throw new PermanentMessageException($"{what}: no checkpoint: the request names none and " +
                $"{CaptioningOptions.SectionName}:{nameof(CaptioningOptions.Checkpoint)} is not set (train one, then " +
                "`qlip caption --backend zeroshot --checkpoint run:<id>`)");
        var labels = request.Labels ?? ImageNetLabels(what);
        Uri checkpoint;
        try
        {
            checkpoint = await CheckpointReference.ResolveAsync(clients, reference, ct);
        }
        catch (Exception e) when (e is FileNotFoundException or ArgumentException)
        {
            throw new CaptionShardException($"{what}: checkpoint '{reference}': {e.Message}", e);
        }
        var key = $"{checkpoint.GetLeftPart(UriPartial.Path)}\n{Fingerprint(labels)}";
        var lazy = captioners.GetOrAdd(key, _ => new Lazy<Task<ZeroShotCaptioner>>(() => CreateAsync(checkpoint, labels)));
        try
        {
            return await lazy.Value.WaitAsync(ct);
        }
        catch (Exception e) when (lazy.Value.IsFaulted)
        {
            captioners.TryRemove(new KeyValuePair<string, Lazy<Task<ZeroShotCaptioner>>>(key, lazy));
            throw new CaptionShardException($"{what}: checkpoint '{reference}' ({checkpoint.GetLeftPart(UriPartial.Path)}) cannot be used: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        foreach (var lazy in captioners.Values)
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully) lazy.Value.Result.Dispose();
        checkpoints.Dispose();
        gate.Dispose();
    }

    private async Task<ZeroShotCaptioner> CreateAsync(Uri checkpoint, IReadOnlyList<string> labels)
    {
        var pipeline = await checkpoints.GetAsync(checkpoint, CancellationToken.None);
        var model = $"qlip:{CheckpointId.Of(checkpoint)}";
        await gate.WaitAsync();
        try
        {
            var captioner = await Task.Run(() => new ZeroShotCaptioner(pipeline, model, labels, PromptTemplates.Default, options.ZeroShotSingleLabelConfidence, gate));
            LogReady(model, labels.Count, PromptTemplates.Default.Count);
            return captioner;
        }
        finally
        {
            gate.Release();
        }
    }

    private IReadOnlyList<string> ImageNetLabels(string what)
    {
        try
        {
            return imageNetLabels.Value;
        }
        catch (DataNotFoundException e)
        {
            throw new CaptionShardException($"{what}: the request has no labels and the ImageNet-1k class names are not installed: {e.Message}", e);
        }
    }

    private static string Fingerprint(IReadOnlyList<string> labels) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', labels))));

    [LoggerMessage(Level = LogLevel.Information, Message = "Zero-shot captioner {Model} ready: {Labels} labels × {Templates} templates")]
    private partial void LogReady(string model, int labels, int templates);
}
