namespace Qlip.Shared.Messages;

/// <summary>Field checks shared by the message contracts.</summary>
internal static class MessageFields
{
    /// <summary>The reason naming the first blank field, or null.</summary>
    public static string? NotBlank(string messageType, params ReadOnlySpan<(string Name, string? Value)> fields)
    {
        foreach (var (name, value) in fields)
            if (string.IsNullOrWhiteSpace(value))
                return $"{messageType}: '{char.ToLowerInvariant(name[0])}{name[1..]}' is empty";
        return null;
    }
}
