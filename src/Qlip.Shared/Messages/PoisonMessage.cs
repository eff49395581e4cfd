using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Qlip.Shared.Messages;

/// <summary>
/// What the worker host writes to <c>{queue}-poison</c>: the original body, untouched, with why it was given up on.
/// </summary>
public sealed record PoisonMessage : IQueueMessage<PoisonMessage>
{
    /// <summary>The contract version (see <see cref="MessageVersion"/>).</summary>
    public int Version { get; init; } = MessageVersion.Current;

    /// <summary>The work queue the message came from.</summary>
    public required string Queue { get; init; }

    public required string MessageId { get; init; }

    /// <summary>The handler type that failed, or the decoder when the body was rejected before any handler ran.</summary>
    public required string Handler { get; init; }

    /// <summary>Exception type and message of the last failure, or the rejection reason.</summary>
    public required string Reason { get; init; }

    /// <summary>How many times the message had been dequeued.</summary>
    public required long Attempts { get; init; }

    public required DateTimeOffset PoisonedAt { get; init; }

    public DateTimeOffset? InsertedOn { get; init; }

    /// <summary>The original message text as it was in the queue (base64 or plain JSON).</summary>
    public required string Body { get; init; }

    /// <summary>True when <see cref="Body"/> was cut to keep the poison message within the queue's 64 KiB.</summary>
    public bool BodyTruncated { get; init; }

    /// <inheritdoc/>
    public static JsonTypeInfo<PoisonMessage> JsonTypeInfo => QlipJsonContext.Default.PoisonMessage;

    /// <inheritdoc/>
    public static string? CheckVersion(JsonElement root) => MessageVersion.Check(root, nameof(PoisonMessage));

    /// <inheritdoc/>
    public string? Validate() => MessageFields.NotBlank(nameof(PoisonMessage), (nameof(Queue), Queue), (nameof(Reason), Reason));
}
