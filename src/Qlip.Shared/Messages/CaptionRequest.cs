using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Qlip.Shared.Messages;

/// <summary>Caption the samples of one ingested shard (queue <c>caption</c>).</summary>
public sealed record CaptionRequest : IQueueMessage<CaptionRequest>
{
    /// <summary>The contract version (see <see cref="MessageVersion"/>).</summary>
    public int Version { get; init; } = MessageVersion.Current;

    public required string Dataset { get; init; }

    /// <summary>Eight-digit shard id, e.g. <c>00000003</c>.</summary>
    public required string ShardId { get; init; }

    /// <summary>The sample keys to caption; null means every sample the policy selects.</summary>
    public IReadOnlyList<string>? Keys { get; init; }

    /// <summary>The captioning backend by name (<see cref="CaptionBackendNames"/>).</summary>
    public required string Backend { get; init; }

    /// <summary>
    /// The checkpoint a model backend runs (<c>zeroshot</c>): <c>run:{id}</c> (the run's newest complete checkpoint), a
    /// blob path <c>{container}/{folder}</c> or a blob URL; null = the captioning host's configured default.
    /// </summary>
    public string? Checkpoint { get; init; }

    /// <summary>The label vocabulary the <c>zeroshot</c> backend ranks; null = the ImageNet-1k class names.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    public CaptionPolicy Policy { get; init; } = CaptionPolicy.FillMissing;

    /// <inheritdoc/>
    public static JsonTypeInfo<CaptionRequest> JsonTypeInfo => QlipJsonContext.Default.CaptionRequest;

    /// <inheritdoc/>
    public static string? CheckVersion(JsonElement root) => MessageVersion.Check(root, nameof(CaptionRequest));

    /// <inheritdoc/>
    public string? Validate() =>
        MessageFields.NotBlank(nameof(CaptionRequest), (nameof(Dataset), Dataset), (nameof(ShardId), ShardId), (nameof(Backend), Backend))
        ?? (Keys is { Count: 0 } ? "CaptionRequest: 'keys' is empty (omit it to caption every sample)" : null)
        ?? (Labels is { } labels && (labels.Count == 0 || labels.Any(string.IsNullOrWhiteSpace))
            ? "CaptionRequest: 'labels' is empty or has a blank label (omit it for the ImageNet-1k names)" : null)
        ?? (Checkpoint is { } checkpoint && Checkpoints.CheckpointReference.Problem(checkpoint) is { } problem ? $"CaptionRequest: 'checkpoint': {problem}" : null);
}
