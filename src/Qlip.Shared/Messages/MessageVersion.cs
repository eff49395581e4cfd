using System.Text.Json;

namespace Qlip.Shared.Messages;

/// <summary>The version rule of Qlip's own messages: an integer <c>version</c> property this host knows.</summary>
public static class MessageVersion
{
    public const string PropertyName = "version";

    /// <summary>The version every Qlip message is written with today.</summary>
    public const int Current = 1;

    /// <summary>Null when <c>version</c> is present and equal to <see cref="Current"/>, else the reason.</summary>
    public static string? Check(JsonElement root, string messageType)
    {
        if (!root.TryGetProperty(PropertyName, out var version))
            return $"{messageType}: missing '{PropertyName}' (this host reads version {Current})";
        if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var value))
            return $"{messageType}: '{PropertyName}' must be an integer, got {version.GetRawText()}";
        return value == Current
            ? null
            : $"{messageType}: unknown version {value} (this host reads version {Current})";
    }
}
