using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace Qlip.Shared.Messages;

/// <summary>Start or resume one training run (queue <c>train-runs</c>).</summary>
public sealed partial record TrainRunRequest : IQueueMessage<TrainRunRequest>
{
    /// <summary>The contract version (see <see cref="MessageVersion"/>).</summary>
    public int Version { get; init; } = MessageVersion.Current;

    /// <summary>The run id; also its folder under <c>checkpoints/</c> and <c>runs/</c>.</summary>
    public required string RunId { get; init; }

    /// <summary>The run kind, one of <see cref="TrainRunKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>The model preset, e.g. <c>QLIP-T-4-28</c>.</summary>
    public required string Preset { get; init; }

    /// <summary>The data manifests (blob URLs, no SAS) the run reads.</summary>
    public required IReadOnlyList<Uri> ManifestUris { get; init; }

    /// <summary>Overrides of the preset's hyperparameters, by their config names (numbers, strings or booleans).</summary>
    public IReadOnlyDictionary<string, JsonElement> Hyperparameters { get; init; } = new Dictionary<string, JsonElement>();

    public required TrainBudget Budget { get; init; }

    public ResumePolicy Resume { get; init; } = ResumePolicy.Latest;

    public long Seed { get; init; }

    /// <summary>Bit-for-bit reproducible kernels and data order, at some speed cost.</summary>
    public bool Deterministic { get; init; }

    /// <inheritdoc/>
    public static JsonTypeInfo<TrainRunRequest> JsonTypeInfo => QlipJsonContext.Default.TrainRunRequest;

    /// <inheritdoc/>
    public static string? CheckVersion(JsonElement root) => MessageVersion.Check(root, nameof(TrainRunRequest));

    /// <inheritdoc/>
    public string? Validate()
    {
        var blank = MessageFields.NotBlank(nameof(TrainRunRequest), (nameof(RunId), RunId), (nameof(Kind), Kind), (nameof(Preset), Preset));
        if (blank is not null) return blank;
        if (!RunIdPattern().IsMatch(RunId)) return $"TrainRunRequest: runId '{RunId}' must be 1-64 of [a-z0-9-_]";
        if (ManifestUris.Count == 0) return "TrainRunRequest: 'manifestUris' is empty";
        if (ManifestUris.FirstOrDefault(u => !u.IsAbsoluteUri) is { } relative)
            return $"TrainRunRequest: manifest '{relative}' is not absolute";
        if (Budget.Steps is null && Budget.Minutes is null) return "TrainRunRequest: 'budget' needs steps or minutes";
        if (Budget.Steps <= 0 || Budget.Minutes <= 0) return "TrainRunRequest: 'budget' values must be positive";
        return null;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex RunIdPattern();
}
