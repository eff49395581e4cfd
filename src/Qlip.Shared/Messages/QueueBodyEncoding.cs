namespace Qlip.Shared.Messages;

/// <summary>How a message body is written to a queue. Both are accepted when reading.</summary>
public enum QueueBodyEncoding
{
    /// <summary>Base64 of UTF-8 JSON: what the Azure Functions queue trigger expects.</summary>
    Base64,

    /// <summary>Plain JSON: what Event Grid writes to a storage queue.</summary>
    PlainJson,
}
