using System.Text.Json;
using System.Text.Json.Serialization;

namespace Qlip.Data.Making;

/// <summary>The <c>sa_N.json</c> of an SA-1B sample: image info and (here always empty) mask annotations, no caption.</summary>
public sealed record Sa1bImageInfo(
    [property: JsonPropertyName("image")] Sa1bImage Image,
    [property: JsonPropertyName("annotations")] JsonElement[] Annotations);
