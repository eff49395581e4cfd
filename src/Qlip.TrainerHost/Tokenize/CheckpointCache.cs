using System.Collections.Concurrent;
using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Qlip.ML.Checkpoints;
using Qlip.Shared.Storage;

namespace Qlip.TrainerHost.Tokenize;

/// <summary>
/// Downloads each checkpoint (<c>config.json</c> + <c>model.safetensors</c> beside the URI) once per process and keeps
/// it loaded. A failed download or load is forgotten, so the next delivery tries again.
/// </summary>
public sealed partial class CheckpointCache(StorageClients clients, IOptions<TokenizeOptions> options, ILogger<CheckpointCache> logger)
    : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<CheckpointTokenizer>>> _loaded = new(StringComparer.Ordinal);

    /// <summary>The loaded checkpoint at <paramref name="checkpointUri"/>.</summary>
    /// <exception cref="FileNotFoundException">A checkpoint file does not exist in storage (names the blob).</exception>
    public async Task<CheckpointTokenizer> GetAsync(Uri checkpointUri, CancellationToken ct)
    {
        var (container, folder, _) = CheckpointId.Parse(checkpointUri);
        var key = $"{container}/{folder}";
        var lazy = _loaded.GetOrAdd(key, _ => new Lazy<Task<CheckpointTokenizer>>(() => LoadAsync(checkpointUri, CancellationToken.None)));
        try
        {
            return await lazy.Value.WaitAsync(ct);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            _loaded.TryRemove(new KeyValuePair<string, Lazy<Task<CheckpointTokenizer>>>(key, lazy));
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var lazy in _loaded.Values)
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully) lazy.Value.Result.Dispose();
    }

    private async Task<CheckpointTokenizer> LoadAsync(Uri checkpointUri, CancellationToken ct)
    {
        var (container, folder, id) = CheckpointId.Parse(checkpointUri);
        var directory = Path.Combine(options.Value.ResolveCacheFolder(), container, folder);
        Directory.CreateDirectory(directory);
        var blobs = clients.Blobs.GetBlobContainerClient(container);
        foreach (var file in new[] { QlipCheckpoint.ConfigFile, QlipCheckpoint.WeightsFile })
        {
            var blob = blobs.GetBlobClient($"{folder}/{file}");
            var target = Path.Combine(directory, file);
            var partial = target + ".partial";
            try
            {
                await blob.DownloadToAsync(partial, ct);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                throw new FileNotFoundException($"checkpoint {container}/{folder} has no {file} (blob {blob.Uri.GetLeftPart(UriPartial.Path)} not found)", file, e);
            }
            File.Move(partial, target, overwrite: true);
        }
        var tokenizer = new CheckpointTokenizer(id, directory, options.Value.Device);
        LogLoaded(id, container + "/" + folder, tokenizer.Bits, tokenizer.GridSize);
        return tokenizer;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded checkpoint {CheckpointId} from {CheckpointFolder}: {Bits} bits, grid side {GridSize}")]
    private partial void LogLoaded(string checkpointId, string checkpointFolder, int bits, int gridSize);
}
