using System.Text.Json.Serialization;

namespace Qlip.Shared.Manifests;

/// <summary>Source-generated JSON for manifests: snake_case names as declared, indented, nulls omitted.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ShardManifest))]
public sealed partial class ManifestJsonContext : JsonSerializerContext;
