using System.Text.Json.Serialization;

namespace Qlip.Cli.Commands;

/// <summary>One image's ids in a <see cref="TokenIdsFile"/>: source file, grid height and width, rows of ids.</summary>
internal sealed record TokenIdsImage(
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("height")] int Height,
    [property: JsonPropertyName("width")] int Width,
    [property: JsonPropertyName("ids")] IReadOnlyList<long[]> Ids);
