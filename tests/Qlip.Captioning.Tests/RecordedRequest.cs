using System.Text.Json;

namespace Qlip.Captioning.Tests;

/// <summary>One request the loopback server received, with its arrival time on the server's clock.</summary>
internal sealed record RecordedRequest(int Index, TimeSpan ArrivedAt, string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>The <c>image_url.url</c> of the first image part of the first message.</summary>
    public string ImageUrl => Parts.First(p => p.GetProperty("type").GetString() == "image_url").GetProperty("image_url").GetProperty("url").GetString()!;

    /// <summary>The text of the first text part of the first message.</summary>
    public string Prompt => Parts.First(p => p.GetProperty("type").GetString() == "text").GetProperty("text").GetString()!;

    private IEnumerable<JsonElement> Parts => Json.GetProperty("messages")[0].GetProperty("content").EnumerateArray();
}
