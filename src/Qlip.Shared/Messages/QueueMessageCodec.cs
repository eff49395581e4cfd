using System.Text;
using System.Text.Json;

namespace Qlip.Shared.Messages;

/// <summary>Writes and reads queue message bodies: base64 or plain JSON, version-checked, at most 64 KiB.</summary>
public static class QueueMessageCodec
{
    /// <summary>Storage Queue's limit on a message's text.</summary>
    public const int MaxMessageBytes = 64 * 1024;

    /// <summary>The body text for <paramref name="message"/>; throws when it would exceed <see cref="MaxMessageBytes"/>.</summary>
    public static string Encode<T>(T message, QueueBodyEncoding encoding) where T : class, IQueueMessage<T>
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(message, T.JsonTypeInfo);
        var body = encoding == QueueBodyEncoding.Base64 ? Convert.ToBase64String(json) : Encoding.UTF8.GetString(json);
        var size = Encoding.UTF8.GetByteCount(body);
        return size <= MaxMessageBytes
            ? body
            : throw new InvalidOperationException(
                $"{typeof(T).Name} is {size} bytes encoded; queue messages are at most {MaxMessageBytes} bytes: pass blob references, not payloads");
    }

    /// <summary>Reads a body written as plain JSON or as base64 of JSON.</summary>
    public static MessageDecodeResult<T> Decode<T>(string body) where T : class, IQueueMessage<T>
    {
        var name = typeof(T).Name;
        if (Json(body) is not { } json)
            return new(null, $"{name}: the body is neither JSON nor base64-encoded JSON");
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return new(null, $"{name}: expected a JSON object, got {root.ValueKind}");
            if (T.CheckVersion(root) is { } versionRejection)
                return new(null, versionRejection);
            var message = root.Deserialize(T.JsonTypeInfo);
            if (message is null) return new(null, $"{name}: the body is JSON null");
            return message.Validate() is { } invalid ? new(null, invalid) : new(message, null);
        }
        catch (JsonException e)
        {
            return new(null, $"{name}: malformed JSON: {e.Message}");
        }
    }

    private static string? Json(string body)
    {
        var text = body.Trim();
        if (text.StartsWith('{') || text.StartsWith('[')) return text;
        var bytes = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, bytes, out var written)) return null;
        try
        {
            var decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, written).Trim();
            return decoded.Length > 0 && decoded[0] is '{' or '[' ? decoded : null;
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
