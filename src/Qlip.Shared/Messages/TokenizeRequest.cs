using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Qlip.Shared.Messages;

/// <summary>Turn one shard's images into visual tokens with one QLIP checkpoint (queue <c>tokenize</c>).</summary>
public sealed record TokenizeRequest : IQueueMessage<TokenizeRequest>
{
    /// <summary>The contract version (see <see cref="MessageVersion"/>).</summary>
    public int Version { get; init; } = MessageVersion.Current;

    public required string Dataset { get; init; }

    /// <summary>Eight-digit shard id, e.g. <c>00000003</c>.</summary>
    public required string ShardId { get; init; }

    /// <summary>The checkpoint blob (no SAS) whose encoder and quantizer produce the tokens.</summary>
    public required Uri CheckpointUri { get; init; }

    /// <summary>
    /// Set on a request the tokenize worker deferred because the shard's captions were still being made: when it first
    /// found them pending. The wait is bounded from here (<c>Tokenize__CaptionWait</c>); null on a fresh request.
    /// </summary>
    public DateTimeOffset? WaitingForCaptionsSince { get; init; }

    /// <inheritdoc/>
    public static JsonTypeInfo<TokenizeRequest> JsonTypeInfo => QlipJsonContext.Default.TokenizeRequest;

    /// <inheritdoc/>
    public static string? CheckVersion(JsonElement root) => MessageVersion.Check(root, nameof(TokenizeRequest));

    /// <inheritdoc/>
    public string? Validate() =>
        MessageFields.NotBlank(nameof(TokenizeRequest), (nameof(Dataset), Dataset), (nameof(ShardId), ShardId))
        ?? (CheckpointUri.IsAbsoluteUri ? null : $"TokenizeRequest: checkpointUri '{CheckpointUri}' is not absolute");
}
