using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Chat;
using Qlip.Shared.Messages;

namespace Qlip.Captioning.Backends;

/// <summary>
/// Captions through any OpenAI-compatible chat-completions endpoint with image input (Azure OpenAI's v1 API, OpenAI,
/// vLLM serving Qwen2-VL as in the paper), with the official OpenAI client: the image goes as a base64 data URL.
/// The client's own retries are off: this class retries 429/5xx/timeouts itself, honouring Retry-After, so each wait
/// is logged and bounded, and every request first passes the process-wide concurrency and rate limits.
/// </summary>
public sealed partial class OpenAICaptionBackend : ICaptionBackend, ICaptioner, IDisposable
{
    public const string BackendName = CaptionBackendNames.OpenAI;

    private readonly CaptioningOptions _options;
    private readonly ChatClient _client;
    private readonly CaptionRateLimiter _limiter;
    private readonly SemaphoreSlim _inFlight;
    private readonly ILogger<OpenAICaptionBackend> _logger;

    public OpenAICaptionBackend(IOptions<CaptioningOptions> options, CaptionRateLimiter limiter, ILogger<OpenAICaptionBackend> logger)
    {
        _options = options.Value;
        var endpoint = _options.Endpoint
            ?? throw new InvalidOperationException($"{CaptioningOptions.SectionName}:{nameof(CaptioningOptions.Endpoint)} is not set: the openai backend needs an endpoint");
        // vLLM without --api-key accepts any bearer token; the client refuses an empty one.
        var key = string.IsNullOrEmpty(_options.ApiKey) ? "none" : _options.ApiKey;
        _client = new ChatClient(_options.Model, new ApiKeyCredential(key), new OpenAIClientOptions
        {
            Endpoint = endpoint,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = _options.Timeout,
        });
        (_limiter, _logger) = (limiter, logger);
        _inFlight = new SemaphoreSlim(_options.MaxConcurrency);
    }

    public string Name => BackendName;

    /// <summary>Every request goes to the configured endpoint: the backend is its own captioner.</summary>
    public Task<ICaptioner> OpenAsync(CaptionRequest request, CancellationToken ct) => Task.FromResult<ICaptioner>(this);

    public async Task<CaptionResult> CaptionAsync(CaptionInput input, CancellationToken ct)
    {
        var prompt = _options.Prompt.Replace("{alt}", string.IsNullOrWhiteSpace(input.AltText) ? "none" : input.AltText, StringComparison.Ordinal);
        ChatMessage[] messages =
        [
            new UserChatMessage(
                ChatMessageContentPart.CreateTextPart(prompt),
                ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(input.Image), input.MediaType)),
        ];
        var request = new ChatCompletionOptions { MaxOutputTokenCount = _options.MaxOutputTokens };
        var tokens = prompt.Length / 4 + _options.ImageTokenEstimate + _options.MaxOutputTokens;

        await _inFlight.WaitAsync(ct);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                await _limiter.AcquireAsync(tokens, ct);
                var (result, failure, retryable, retryAfter) = await AttemptAsync(input.Key, messages, request, ct);
                if (result is not null) return result;
                if (!retryable || attempt >= _options.MaxRetries) throw failure!;
                var delay = Min(retryAfter ?? Backoff(attempt), _options.MaxRetryDelay);
                LogRetry(input.Key, failure!.Reason, attempt + 1, delay.TotalMilliseconds);
                await Task.Delay(delay, ct);
            }
        }
        finally
        {
            _inFlight.Release();
        }
    }

    public void Dispose() => _inFlight.Dispose();

    private async Task<(CaptionResult? Result, CaptionFailedException? Failure, bool Retryable, TimeSpan? RetryAfter)> AttemptAsync(
        string key, ChatMessage[] messages, ChatCompletionOptions request, CancellationToken ct)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attempt.CancelAfter(_options.Timeout);
        try
        {
            ChatCompletion completion = await _client.CompleteChatAsync(messages, request, attempt.Token);
            var text = string.Concat(completion.Content.Where(p => p.Kind == ChatMessageContentPartKind.Text).Select(p => p.Text)).Trim();
            if (text.Length == 0)
                return (null, new CaptionFailedException(CaptionFailureReasons.EmptyCaption, $"sample '{key}': the endpoint returned no text"), false, null);
            return (new CaptionResult(text, string.IsNullOrEmpty(completion.Model) ? _options.Model : completion.Model, null), null, false, null);
        }
        catch (ClientResultException e)
        {
            var reason = e.Status == 429 ? CaptionFailureReasons.RateLimited : CaptionFailureReasons.EndpointError;
            var status = e.Status == 0 ? "no response" : $"HTTP {e.Status}";
            var retryable = e.Status is 0 or 408 or 429 or >= 500;
            return (null, new CaptionFailedException(reason, $"sample '{key}': {status}: {e.Message}", e), retryable, RetryAfter(e.GetRawResponse()));
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            return (null, new CaptionFailedException(CaptionFailureReasons.Timeout, $"sample '{key}': no response within {_options.Timeout}", e), true, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The client parses the body as it returns: a body that is not a chat completion surfaces here.
            return (null, new CaptionFailedException(CaptionFailureReasons.MalformedResponse,
                $"sample '{key}': the response is not a chat completion: {e.GetType().Name}: {e.Message}", e), false, null);
        }
    }

    /// <summary>Retry-After in seconds or as an HTTP date, or the <c>retry-after-ms</c> extension OpenAI endpoints send.</summary>
    private static TimeSpan? RetryAfter(PipelineResponse? response)
    {
        if (response is null) return null;
        if (response.Headers.TryGetValue("retry-after-ms", out var ms) && double.TryParse(ms, CultureInfo.InvariantCulture, out var millis))
            return TimeSpan.FromMilliseconds(Math.Max(0, millis));
        if (!response.Headers.TryGetValue("Retry-After", out var value) || value is null) return null;
        if (int.TryParse(value, CultureInfo.InvariantCulture, out var seconds)) return TimeSpan.FromSeconds(Math.Max(0, seconds));
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? Max(at - DateTimeOffset.UtcNow, TimeSpan.Zero)
            : null;
    }

    private TimeSpan Backoff(int attempt) =>
        _options.RetryBaseDelay * Math.Pow(2, attempt) * (0.5 + Random.Shared.NextDouble() / 2);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Caption of {SampleKey} failed ({Reason}); retry {Retry} in {DelayMs} ms")]
    private partial void LogRetry(string sampleKey, string reason, int retry, double delayMs);
}
