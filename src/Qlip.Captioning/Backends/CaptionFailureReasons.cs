namespace Qlip.Captioning.Backends;

/// <summary>Reason codes of samples that could not be captioned (the <c>status</c> column of the captions parquet).</summary>
public static class CaptionFailureReasons
{
    public const string Timeout = "timeout";
    public const string RateLimited = "rate_limited";
    public const string EndpointError = "endpoint_error";
    public const string MalformedResponse = "malformed_response";
    public const string EmptyCaption = "empty_caption";
    public const string NoImage = "no_image";
    public const string CorruptImage = "corrupt_image";
}
