using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Qlip.Captioning.Backends;
using Qlip.Testing.Data;

namespace Qlip.Captioning.Tests;

/// <summary>Backends and inputs for the tests: the openai backend aimed at a loopback server, real emoji images.</summary>
internal static class CaptionBackends
{
    public const string ApiKey = "sk-test-5f1c2a9e";

    /// <summary>Options for a loopback endpoint: short timeout and backoff, limits off unless a test sets them.</summary>
    public static CaptioningOptions Options(Uri endpoint) => new()
    {
        Endpoint = endpoint,
        Model = "qwen2-vl-test",
        ApiKey = ApiKey,
        Prompt = "Caption this image. Alt-text: {alt}",
        MaxOutputTokens = 40,
        Timeout = TimeSpan.FromSeconds(20),
        MaxRetries = 2,
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        RequestsPerMinute = 0,
        TokensPerMinute = 0,
    };

    public static OpenAICaptionBackend OpenAI(CaptioningOptions options, ILogger<OpenAICaptionBackend>? logger = null)
    {
        var wrapped = Microsoft.Extensions.Options.Options.Create(options);
        return new OpenAICaptionBackend(wrapped, new CaptionRateLimiter(wrapped), logger ?? NullLogger<OpenAICaptionBackend>.Instance);
    }

    /// <summary>The <paramref name="index"/>-th packaged emoji as a PNG caption input.</summary>
    public static CaptionInput Emoji(int index, string? alt = null)
    {
        var emoji = RealData.Emoji[index];
        return new CaptionInput($"emoji-{index}", File.ReadAllBytes(emoji.ImagePath), "image/png", alt);
    }
}
