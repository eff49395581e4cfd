using System.Text.Json.Serialization;

namespace Qlip.Shared.Messages;

/// <summary>Source-generated JSON metadata for every message: camelCase, nulls omitted, nullability enforced.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(BlobCreatedEvent))]
[JsonSerializable(typeof(CaptionRequest))]
[JsonSerializable(typeof(TokenizeRequest))]
[JsonSerializable(typeof(TrainRunRequest))]
[JsonSerializable(typeof(PoisonMessage))]
public sealed partial class QlipJsonContext : JsonSerializerContext;
