using System.Text.Json;
using System.Text.Json.Serialization;

namespace Qlip.Cli.Commands;

/// <summary>The JSON `qlip tokenize` writes and `qlip detokenize` reads: bits per id and, per image, its grid of ids.</summary>
internal sealed record TokenIdsFile(
    [property: JsonPropertyName("bits")] int Bits,
    [property: JsonPropertyName("images")] IReadOnlyList<TokenIdsImage> Images)
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <summary>Reads and checks a file: every image's ids must form its h × w grid.</summary>
    public static TokenIdsFile Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"ids file {path} does not exist", path);
        TokenIdsFile? file;
        try
        {
            file = JsonSerializer.Deserialize<TokenIdsFile>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a tokenize JSON file: {e.Message}", e);
        }
        if (file?.Images is not { Count: > 0 }) throw new InvalidDataException($"{path}: no images");
        for (var i = 0; i < file.Images.Count; i++)
        {
            var image = file.Images[i];
            if (image.Ids is null || image.Ids.Count != image.Height || image.Ids.Any(row => row is null || row.Length != image.Width))
                throw new InvalidDataException($"{path}: images[{i}].ids is not a {image.Height}×{image.Width} grid");
        }
        return file;
    }
}
