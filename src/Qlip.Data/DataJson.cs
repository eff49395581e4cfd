using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Qlip.Data.WebDataset;

namespace Qlip.Data;

// Source-generated JSON for the files Qlip.Data writes; non-ASCII captions stay readable (relaxed escaping).
[JsonSourceGenerationOptions(WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ShardStats))]
[JsonSerializable(typeof(SampleMetadata))]
[JsonSerializable(typeof(SortedDictionary<string, long>))]
[JsonSerializable(typeof(Sets.EmojiJsonEntry[]))]
[JsonSerializable(typeof(Making.Sa1bImageInfo))]
internal sealed partial class DataJson : JsonSerializerContext
{
    public static DataJson Context { get; } = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
