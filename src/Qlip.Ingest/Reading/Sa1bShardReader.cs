using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Qlip.Ingest.Reading;

/// <summary>
/// SA-1B tars: <c>sa_N.jpg</c> + <c>sa_N.json</c> (image info and mask annotations). SA-1B has no captions, so every
/// sample comes out caption-less and is marked for recaptioning. Only the json's <c>image</c> object is kept: the RLE
/// masks run to megabytes per image and nothing downstream reads them.
/// </summary>
public sealed class Sa1bShardReader(bool gzip, long maxMemberBytes) : IShardReader
{
    private readonly WebDatasetShardReader _tar = new(gzip, maxMemberBytes);

    public string Format => "sa1b";

    public async IAsyncEnumerable<RawSample> ReadAsync(Stream input, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var sample in _tar.ReadAsync(input, ct))
            yield return sample with { Caption = null, Metadata = ImageInfoOnly(sample.Metadata) };
    }

    private static byte[]? ImageInfoOnly(byte[]? json)
    {
        if (json is null) return null;
        try
        {
            return JsonNode.Parse(json) is JsonObject { } root && root["image"] is JsonObject image
                ? JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["image"] = image.DeepClone() })
                : null;
        }
        catch (JsonException)
        {
            // Bad metadata loses only the metadata: the image and its key still stand on their own.
            return null;
        }
    }
}
