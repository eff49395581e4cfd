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

    /// <summary>The captioning backend by name, e.g. <c>openai</c> or <c>zero-shot</c>.</summary>
    public required string Backend { get; init; }

    public CaptionPolicy Policy { get; init; } = CaptionPolicy.FillMissing;

    /// <inheritdoc/>
    public static JsonTypeInfo<CaptionRequest> JsonTypeInfo => QlipJsonContext.Default.CaptionRequest;

    /// <inheritdoc/>
    public static string? CheckVersion(JsonElement root) => MessageVersion.Check(root, nameof(CaptionRequest));

    /// <inheritdoc/>
    public string? Validate() =>
        MessageFields.NotBlank(nameof(CaptionRequest), (nameof(Dataset), Dataset), (nameof(ShardId), ShardId), (nameof(Backend), Backend))
        ?? (Keys is { Count: 0 } ? "CaptionRequest: 'keys' is empty (omit it to caption every sample)" : null);
}
