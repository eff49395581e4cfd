using Qlip.Captioning.Backends;

namespace Qlip.Captioning.Tests;

/// <summary>The openai backend against a loopback chat-completions server: the request, retries, failures, rate limits.</summary>
public sealed class OpenAICaptionBackendTests
{
    private static readonly TimeSpan NoHang = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Sends_the_image_as_a_base64_data_url_with_the_configured_model_prompt_and_key()
    {
        await using var server = new ChatCompletionsServer(_ => ServerReply.Completion("a yellow smiling face.", "Qwen/Qwen2-VL-7B-Instruct"));
        using var backend = CaptionBackends.OpenAI(CaptionBackends.Options(server.Endpoint));
        var input = CaptionBackends.Emoji(0, alt: "grinning face");

        var result = await backend.CaptionAsync(input, CancellationToken.None).WaitAsync(NoHang);

        Assert.Equal(new CaptionResult("a yellow smiling face.", "Qwen/Qwen2-VL-7B-Instruct", null), result);
        var request = Assert.Single(server.Requests);
        Assert.Equal(("POST", "/v1/chat/completions"), (request.Method, request.Path));
        Assert.Equal($"Bearer {CaptionBackends.ApiKey}", request.Headers["Authorization"]);
        Assert.Equal("qwen2-vl-test", request.Json.GetProperty("model").GetString());
        Assert.Equal(40, request.Json.GetProperty("max_completion_tokens").GetInt32());
        Assert.Equal("Caption this image. Alt-text: grinning face", request.Prompt);
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(input.Image.Span), request.ImageUrl);
    }

    [Fact]
    public async Task Waits_out_429_Retry_After_then_retries_and_succeeds()
    {
        await using var server = new ChatCompletionsServer(r => r.Index == 0 ? ServerReply.TooManyRequests(retryAfterSeconds: 1) : ServerReply.Completion("ok"));
        var logger = new ListLogger<OpenAICaptionBackend>();
        using var backend = CaptionBackends.OpenAI(CaptionBackends.Options(server.Endpoint), logger);

        var result = await backend.CaptionAsync(CaptionBackends.Emoji(1), CancellationToken.None).WaitAsync(NoHang);

        Assert.Equal("ok", result.Caption);
        var requests = server.Requests;
        Assert.Equal(2, requests.Count);
        // The backoff base is 10 ms: a wait of a second can only come from Retry-After.
        Assert.True(requests[1].ArrivedAt - requests[0].ArrivedAt >= TimeSpan.FromSeconds(0.95),
            $"retried after {(requests[1].ArrivedAt - requests[0].ArrivedAt).TotalMilliseconds} ms");
        Assert.Equal(requests[0].ImageUrl, requests[1].ImageUrl);
        Assert.Contains(logger.Lines, l => l.Contains("rate_limited") && l.Contains("1000 ms"));
        Assert.DoesNotContain(logger.Lines, l => l.Contains(CaptionBackends.ApiKey));
    }

    [Fact]
    public async Task Gives_up_on_429_after_the_configured_retries_as_rate_limited()
    {
        await using var server = new ChatCompletionsServer(_ => ServerReply.TooManyRequests(retryAfterSeconds: 0));
        using var backend = CaptionBackends.OpenAI(CaptionBackends.Options(server.Endpoint));

        var failure = await Assert.ThrowsAsync<CaptionFailedException>(() => backend.CaptionAsync(CaptionBackends.Emoji(2), CancellationToken.None).WaitAsync(NoHang));

        Assert.Equal(CaptionFailureReasons.RateLimited, failure.Reason);
        Assert.Equal(3, server.Requests.Count);
        Assert.DoesNotContain(CaptionBackends.ApiKey, failure.ToString());
    }

    [Fact]
    public async Task Malformed_json_fails_the_sample_as_malformed_response_without_retrying()
    {
        await using var server = new ChatCompletionsServer(_ => ServerReply.Malformed);
        using var backend = CaptionBackends.OpenAI(CaptionBackends.Options(server.Endpoint));

        var failure = await Assert.ThrowsAsync<CaptionFailedException>(() => backend.CaptionAsync(CaptionBackends.Emoji(3), CancellationToken.None).WaitAsync(NoHang));

        Assert.Equal(CaptionFailureReasons.MalformedResponse, failure.Reason);
        Assert.Contains("emoji-3", failure.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_stall_beyond_the_timeout_fails_as_timeout_after_the_retries_instead_of_hanging()
    {
        await using var server = new ChatCompletionsServer(_ => ServerReply.Stalled);
        var options = CaptionBackends.Options(server.Endpoint);
        (options.Timeout, options.MaxRetries) = (TimeSpan.FromMilliseconds(500), 1);
        using var backend = CaptionBackends.OpenAI(options);

        var failure = await Assert.ThrowsAsync<CaptionFailedException>(() => backend.CaptionAsync(CaptionBackends.Emoji(4), CancellationToken.None).WaitAsync(NoHang));

        Assert.Equal(CaptionFailureReasons.Timeout, failure.Reason);
        Assert.Equal(2, server.Requests.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Requests_and_tokens_per_window_are_limited_on_the_client(bool limitRequests)
    {
        await using var server = new ChatCompletionsServer(_ => ServerReply.Completion("ok"));
        var options = CaptionBackends.Options(server.Endpoint);
        options.Prompt = "Caption: {alt}";
        (options.MaxConcurrency, options.RateLimitWindow, options.ImageTokenEstimate) = (8, TimeSpan.FromSeconds(1), 1000);
        // Two requests per window either way: by count, or by tokens (1000 image + 40 output + 3 prompt ≈ 1043 each).
        if (limitRequests) options.RequestsPerMinute = 2;
        else options.TokensPerMinute = 2200;
        var start = server.Now;
        using var backend = CaptionBackends.OpenAI(options);

        await Task.WhenAll(Enumerable.Range(0, 5).Select(i => backend.CaptionAsync(CaptionBackends.Emoji(i), CancellationToken.None))).WaitAsync(NoHang);

        // Lower bounds only (a loaded machine makes requests later, never earlier): request k waits for ⌊k/2⌋ refills.
        var arrivals = server.Requests.Select(r => r.ArrivedAt - start).Order().ToList();
        Assert.Equal(5, arrivals.Count);
        for (var k = 0; k < arrivals.Count; k++)
            Assert.True(arrivals[k] >= TimeSpan.FromSeconds(k / 2) - TimeSpan.FromMilliseconds(50), $"request {k} arrived at {arrivals[k].TotalMilliseconds} ms");
    }
}
