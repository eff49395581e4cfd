using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Qlip.Shared.Messages;

/// <summary>
/// A message that travels through a storage queue: serialized with source-generated metadata, its version checked
/// before it is deserialized (a newer shape must not be misread as malformed), its fields checked after.
/// </summary>
public interface IQueueMessage<TSelf> where TSelf : IQueueMessage<TSelf>
{
    /// <summary>The source-generated serialization metadata.</summary>
    static abstract JsonTypeInfo<TSelf> JsonTypeInfo { get; }

    /// <summary>Null when this host understands the message's version, else the rejection reason.</summary>
    static abstract string? CheckVersion(JsonElement root);

    /// <summary>Null when the fields are usable, else the rejection reason naming the field.</summary>
    string? Validate();
}
