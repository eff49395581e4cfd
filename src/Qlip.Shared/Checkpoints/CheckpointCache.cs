using System.Collections.Concurrent;
using Azure;
using Microsoft.Extensions.Logging;
using Qlip.Shared.Storage;

namespace Qlip.Shared.Checkpoints;

/// <summary>
/// Downloads each checkpoint folder (<c>config.json</c> + <c>model.safetensors</c> beside the URI, and Hugging Face's
/// <c>preprocessor_config.json</c> when the folder has one) once per process into
/// a local cache folder and keeps what <paramref name="load"/> makes of it (a tokenizer, a zero-shot pipeline) until
/// disposed. A failed download or load is forgotten, so the next delivery tries again. Shared by every worker that
/// runs a checkpoint (tokenize, zero-shot captioning), each with its own <typeparamref name="T"/>.
/// </summary>
/// <param name="clients">Storage the checkpoint blobs are read from.</param>
/// <param name="cacheFolder">Local folder; each checkpoint lands in <c>{cacheFolder}/{container}/{folder}</c>.</param>
/// <param name="load">Builds the loaded form from (checkpoint id, local directory).</param>
/// <param name="logger">Logs each load.</param>
public sealed partial class CheckpointCache<T>(StorageClients clients, string cacheFolder, Func<string, string, T> load, ILogger logger)
    : IDisposable where T : class, IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<T>>> _loaded = new(StringComparer.Ordinal);

    /// <summary>The loaded checkpoint at <paramref name="checkpointUri"/> (a file of the folder, or the folder with a trailing slash).</summary>
    /// <exception cref="FileNotFoundException">A checkpoint file does not exist in storage (names the blob).</exception>
    /// <exception cref="ArgumentException">The URI names no folder under a container.</exception>
    public async Task<T> GetAsync(Uri checkpointUri, CancellationToken ct)
    {
        var (container, folder, id) = CheckpointId.Parse(checkpointUri);
        var key = $"{container}/{folder}";
        var lazy = _loaded.GetOrAdd(key, _ => new Lazy<Task<T>>(() => LoadAsync(container, folder, id, CancellationToken.None)));
        try
        {
            return await lazy.Value.WaitAsync(ct);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            _loaded.TryRemove(new KeyValuePair<string, Lazy<Task<T>>>(key, lazy));
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var lazy in _loaded.Values)
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully) lazy.Value.Result.Dispose();
    }

    private async Task<T> LoadAsync(string container, string folder, string id, CancellationToken ct)
    {
        var directory = Path.Combine(cacheFolder, container, folder);
        Directory.CreateDirectory(directory);
        var blobs = clients.Blobs.GetBlobContainerClient(container);
        foreach (var (file, required) in new[] { (CheckpointId.ConfigFile, true), (CheckpointId.WeightsFile, true), (CheckpointId.HuggingFacePreprocessorFile, false) })
        {
            var blob = blobs.GetBlobClient($"{folder}/{file}");
            var target = Path.Combine(directory, file);
            var partial = $"{target}.{Guid.NewGuid():N}.partial";  // two caches of one process may fetch the same folder at once
            try
            {
                await blob.DownloadToAsync(partial, ct);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                File.Delete(partial);
                if (!required)
                {
                    File.Delete(target);
                    continue;
                }
                throw new FileNotFoundException($"checkpoint {container}/{folder} has no {file} (blob {blob.Uri.GetLeftPart(UriPartial.Path)} not found)", file, e);
            }
            File.Move(partial, target, overwrite: true);
        }
        var loaded = await Task.Run(() => load(id, directory), ct);
        LogLoaded(logger, id, $"{container}/{folder}", typeof(T).Name);
        return loaded;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded checkpoint {CheckpointId} from {CheckpointFolder} as {LoadedAs}")]
    private static partial void LogLoaded(ILogger logger, string checkpointId, string checkpointFolder, string loadedAs);
}
