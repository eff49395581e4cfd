namespace Qlip.Shared.Queues;

/// <summary>Where a message came from, for logs and idempotency decisions; the handler sees nothing else of the transport.</summary>
/// <param name="QueueName">The work queue.</param>
/// <param name="MessageId">The storage message id (stable across redeliveries).</param>
/// <param name="DequeueCount">1 on the first delivery, then one more per redelivery.</param>
/// <param name="InsertedOn">When the message was enqueued.</param>
public sealed record QueueMessageContext(string QueueName, string MessageId, long DequeueCount, DateTimeOffset? InsertedOn);
