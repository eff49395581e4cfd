using System.Text.Json.Serialization;

namespace Qlip.Shared.Dev;

/// <summary>The pid file of the Azurite that <c>qlip dev up</c> started (<c>.qlip/azurite.json</c>).</summary>
internal sealed record DevStoreState(int ProcessId, DateTime StartTime, int BlobPort, int QueuePort, int TablePort, string Location)
{
    public AzuritePorts Ports => new(BlobPort, QueuePort, TablePort);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(DevStoreState))]
internal sealed partial class DevStoreStateJsonContext : JsonSerializerContext;
