using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Qlip.Shared.Messages;
using Qlip.Shared.Storage;

namespace Qlip.Cli.Demo;

/// <summary>
/// One training run of the demo. Its id is a hash of everything that shapes the weights (kind, preset, data set and its
/// size, steps, seed, hyperparameters), so a second demo with the same plan finds the completed run and reuses it, and
/// any change to the recipe trains a new run instead of resuming an incompatible one.
/// </summary>
internal sealed record DemoRunSpec(string Stage, string Kind, string Preset, string Dataset, long DatasetSamples, long Steps, long Seed,
    IReadOnlyDictionary<string, string> Hyperparameters)
{
    public string RunId
    {
        get
        {
            var canonical = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"{Kind}\n{Preset}\n{Dataset}\n{DatasetSamples}\n{Steps}\n{Seed}\n");
            foreach (var (name, value) in Hyperparameters.OrderBy(h => h.Key, StringComparer.Ordinal))
                canonical.Append(CultureInfo.InvariantCulture, $"{name}={value}\n");
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
            return $"demo-{Stage}-{hash[..12]}";
        }
    }

    /// <summary>The <c>train-runs</c> message for this run, reading <c>shards/{Dataset}/sizes.json</c> of <paramref name="clients"/>.</summary>
    public TrainRunRequest ToRequest(StorageClients clients) => new()
    {
        RunId = RunId,
        Kind = Kind,
        Preset = Preset,
        ManifestUris = [clients.Blob(BlobLayout.Sizes(Dataset)).Uri],
        Budget = new TrainBudget { Steps = Steps },
        Seed = Seed,
        Hyperparameters = Hyperparameters.ToDictionary(h => h.Key, h => JsonSerializer.SerializeToElement(h.Value)),
    };
}
