using System.ComponentModel.DataAnnotations;

namespace Qlip.Captioning;

/// <summary>
/// Captioning settings (section <c>Captioning</c>; infra sets <c>Captioning__Endpoint</c>, <c>Captioning__Model</c> and
/// <c>Captioning__ApiKey</c> from Key Vault). The key is never logged.
/// </summary>
public sealed class CaptioningOptions
{
    public const string SectionName = "Captioning";

    /// <summary>Base URL of an OpenAI-compatible API, e.g. <c>https://x.openai.azure.com/openai/v1/</c> or vLLM's <c>http://host:8000/v1/</c>.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The chat model (or Azure deployment) name, e.g. <c>Qwen/Qwen2-VL-7B-Instruct</c>.</summary>
    public string Model { get; set; } = "gpt-4o-mini";

    /// <summary>The endpoint's key; vLLM without <c>--api-key</c> accepts any value.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The instruction sent with each image; <c>{alt}</c> is replaced by the sample's alt-text (or "none").</summary>
    [Required(AllowEmptyStrings = false)]
    public string Prompt { get; set; } =
        "Describe this image in one detailed sentence for an image-text dataset. Existing alt-text (may be empty or wrong): {alt}";

    [Range(1, 4096)]
    public int MaxOutputTokens { get; set; } = 77;

    /// <summary>Per attempt; a request that stalls longer fails with reason <c>timeout</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "01:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Requests in flight at once across every message this process handles.</summary>
    [Range(1, 256)]
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>Requests allowed per <see cref="RateLimitWindow"/>; 0 means no limit.</summary>
    [Range(0, int.MaxValue)]
    public int RequestsPerMinute { get; set; } = 300;

    /// <summary>Estimated tokens (prompt + image + output) allowed per <see cref="RateLimitWindow"/>; 0 means no limit.</summary>
    [Range(0, int.MaxValue)]
    public int TokensPerMinute { get; set; } = 300_000;

    /// <summary>The rate-limit window: one minute against real endpoints (shorter only in tests).</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "01:00:00")]
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Tokens an image is assumed to cost when estimating a request against <see cref="TokensPerMinute"/>.</summary>
    [Range(0, 100_000)]
    public int ImageTokenEstimate { get; set; } = 800;

    /// <summary>Retries of one sample after a 429, a 5xx, a network error or a timeout.</summary>
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>First backoff when the endpoint sends no Retry-After; doubles per retry, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between attempts, Retry-After included.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The checkpoint the <c>zeroshot</c> backend runs when a request names none: <c>run:{id}</c>, a blob path
    /// <c>{container}/{folder}</c> or a blob URL. Without one (and without a request's own), requests fail naming this key.
    /// </summary>
    public string? Checkpoint { get; set; }

    /// <summary>Torch device of the <c>zeroshot</c> backend: <c>cpu</c> or <c>cuda</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Device { get; set; } = "cpu";

    /// <summary>Where downloaded checkpoints are kept; default: <c>qlip-checkpoints</c> under the temp path.</summary>
    public string? CheckpointCacheFolder { get; set; }

    /// <summary>
    /// The <c>zeroshot</c> caption names one label when its probability reaches this, else the two most probable
    /// ("a photo of a coat or a pullover", confidence = their sum).
    /// </summary>
    [Range(0.0, 1.0)]
    public double ZeroShotSingleLabelConfidence { get; set; } = 0.5;

    /// <summary>The checkpoint cache folder in use.</summary>
    public string ResolveCheckpointCacheFolder() => CheckpointCacheFolder ?? Path.Combine(Path.GetTempPath(), "qlip-checkpoints");
}
