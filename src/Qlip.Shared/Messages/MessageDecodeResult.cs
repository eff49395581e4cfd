using System.Diagnostics.CodeAnalysis;

namespace Qlip.Shared.Messages;

/// <summary>Either a usable message or the reason it was rejected (which the worker host sends to poison as is).</summary>
public readonly record struct MessageDecodeResult<T>(T? Message, string? Rejection) where T : class
{
    [MemberNotNullWhen(true, nameof(Message))]
    [MemberNotNullWhen(false, nameof(Rejection))]
    public bool Ok => Message is not null;
}
