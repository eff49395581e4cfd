using System.Text.Json.Serialization;

namespace Qlip.Data.Making;

/// <summary>SA-1B's <c>image</c> object.</summary>
public sealed record Sa1bImage(
    [property: JsonPropertyName("image_id")] long ImageId,
    [property: JsonPropertyName("width")] int Width,
    [property: JsonPropertyName("height")] int Height,
    [property: JsonPropertyName("file_name")] string FileName);
