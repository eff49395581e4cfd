using System.Text.Json;

namespace Qlip.Captioning.Tests;

/// <summary>What the loopback server answers: a status, headers and a body, or a stall that never answers.</summary>
internal sealed record ServerReply(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null, bool Stall = false)
{
    public static ServerReply Completion(string caption, string model = "served-model") => new(200, JsonSerializer.Serialize(new
    {
        id = "chatcmpl-1",
        @object = "chat.completion",
        created = 1_700_000_000,
        model,
        choices = new[] { new { index = 0, finish_reason = "stop", message = new { role = "assistant", content = caption } } },
        usage = new { prompt_tokens = 10, completion_tokens = 5, total_tokens = 15 },
    }));

    public static ServerReply TooManyRequests(int retryAfterSeconds) =>
        new(429, """{"error":{"message":"rate limited","type":"requests","code":"429"}}""",
            new Dictionary<string, string> { ["Retry-After"] = retryAfterSeconds.ToString() });

    public static ServerReply Malformed { get; } = new(200, """{"id":"chatcmpl-1","choices":[{"message":""");

    public static ServerReply Stalled { get; } = new(0, "", Stall: true);
}
