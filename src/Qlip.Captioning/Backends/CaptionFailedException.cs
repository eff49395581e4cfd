namespace Qlip.Captioning.Backends;

/// <summary>One sample could not be captioned: counted under <see cref="Reason"/>, never fatal to the shard.</summary>
public sealed class CaptionFailedException(string reason, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The reason code: one of <see cref="CaptionFailureReasons"/>.</summary>
    public string Reason { get; } = reason;
}
