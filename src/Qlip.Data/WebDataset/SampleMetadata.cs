using System.Text.Json;
using System.Text.Json.Serialization;

namespace Qlip.Data.WebDataset;

/// <summary>
/// Per-sample metadata: the <c>{key}.json</c> member of a webdataset sample and one row of the shard's metadata
/// parquet (img2dataset's columns plus label and class name). Null fields are omitted from the JSON.
/// </summary>
public sealed class SampleMetadata
{
    /// <summary>Sample key, unique in the dataset.</summary>
    [JsonPropertyName("key")] public string Key { get; set; } = "";

    /// <summary><c>success</c>, or the reason code of a failed sample.</summary>
    [JsonPropertyName("status")] public string Status { get; set; } = Success;

    /// <summary>The status of a sample that was written to its shard.</summary>
    public const string Success = "success";

    /// <summary>What went wrong for a failed sample.</summary>
    [JsonPropertyName("error_message")] public string? ErrorMessage { get; set; }

    /// <summary>The caption (also the <c>{key}.txt</c> member).</summary>
    [JsonPropertyName("caption")] public string? Caption { get; set; }

    /// <summary>Width of the stored image.</summary>
    [JsonPropertyName("width")] public int? Width { get; set; }

    /// <summary>Height of the stored image.</summary>
    [JsonPropertyName("height")] public int? Height { get; set; }

    /// <summary>Width of the source image before resizing, when it was resized.</summary>
    [JsonPropertyName("original_width")] public int? OriginalWidth { get; set; }

    /// <summary>Height of the source image before resizing, when it was resized.</summary>
    [JsonPropertyName("original_height")] public int? OriginalHeight { get; set; }

    /// <summary>Lower-case hex sha256 of the image bytes.</summary>
    [JsonPropertyName("sha256")] public string? Sha256 { get; set; }

    /// <summary>Class index where the source has classes.</summary>
    [JsonPropertyName("label")] public int? Label { get; set; }

    /// <summary>Class name where the source has classes.</summary>
    [JsonPropertyName("class_name")] public string? ClassName { get; set; }

    /// <summary>Where the sample came from: data set name.</summary>
    [JsonPropertyName("source")] public string? Source { get; set; }

    /// <summary>Where the sample came from: index or path inside the source.</summary>
    [JsonPropertyName("source_id")] public string? SourceId { get; set; }

    /// <summary>Serialises to compact UTF-8 JSON (the <c>{key}.json</c> member), nulls omitted.</summary>
    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, DataJson.Context.SampleMetadata);

    /// <summary>Reads a <c>{key}.json</c> member.</summary>
    /// <exception cref="JsonException">The bytes are not a metadata object.</exception>
    public static SampleMetadata FromJson(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, DataJson.Context.SampleMetadata) ?? throw new JsonException("sample metadata is null");
}
