namespace Qlip.Shared.Queues;

/// <summary>
/// Thrown by a handler when its message can never succeed (a malformed run spec, a deterministic failure that a retry
/// would only repeat): the worker host moves it to <c>&lt;queue&gt;-poison</c> at once with this reason instead of retrying it
/// up to MaxDequeueCount times. Every other exception keeps the Functions contract (retry, then poison).
/// </summary>
public sealed class PermanentMessageException(string message, Exception? inner = null) : Exception(message, inner);
