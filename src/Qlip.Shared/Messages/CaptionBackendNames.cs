namespace Qlip.Shared.Messages;

/// <summary>The names caption requests give their backend (<see cref="CaptionRequest.Backend"/>), one constant each, shared by ingest, the CLI and the captioning host.</summary>
public static class CaptionBackendNames
{
    /// <summary>An OpenAI-compatible chat-completions endpoint with image input.</summary>
    public const string OpenAI = "openai";

    /// <summary>Local and free: a QLIP checkpoint ranks a label vocabulary (ingest's default).</summary>
    public const string ZeroShot = "zeroshot";
}
