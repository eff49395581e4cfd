using System.Security.Cryptography;
using System.Text;
using Qlip.Data.Captions;
using Qlip.Data.Images;
using Qlip.Data.Tokens;
using Qlip.Data.WebDataset;

namespace Qlip.TrainerHost.Tokenize;

/// <summary>Turns the samples of one clean shard tar into token rows, in tar order, encoding <c>batchSize</c> images at a time.</summary>
public static class ShardTokenRows
{
    private static readonly string[] ImageExtensions = ["jpg", "jpeg", "png", "webp"];

    /// <summary>All rows of <paramref name="tar"/>; caption from <paramref name="captions"/> given the original (<c>.txt</c>,
    /// else the <c>.json</c> caption), source sha256 from the <c>.json</c> (else the sha256 of the image member).</summary>
    /// <exception cref="InvalidDataException">A sample has no image or an image that does not decode (names shard and key).</exception>
    public static async Task<List<TokenRow>> ReadAsync(
        Stream tar, string shardName, CheckpointTokenizer tokenizer, ShardCaptions captions, int batchSize, CancellationToken ct)
    {
        var rows = new List<TokenRow>();
        var pending = new List<(TokenRow Row, RgbImage Image)>(batchSize);
        await foreach (var sample in WebDatasetReader.ReadAsync(tar, ct: ct))
        {
            pending.Add(ToRow(sample, shardName, tokenizer, captions));
            if (pending.Count == batchSize) await FlushAsync(pending, rows, tokenizer, ct);
        }
        if (pending.Count > 0) await FlushAsync(pending, rows, tokenizer, ct);
        return rows;
    }

    private static (TokenRow, RgbImage) ToRow(WebDatasetSample sample, string shardName, CheckpointTokenizer tokenizer, ShardCaptions captions)
    {
        var image = sample.FirstOf(ImageExtensions)
            ?? throw new InvalidDataException($"{shardName}: sample '{sample.Key}' has no image member ({string.Join(", ", ImageExtensions)})");
        SampleMetadata? metadata = null;
        if (sample.Get("json") is { } json)
        {
            try
            {
                metadata = SampleMetadata.FromJson(json);
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new InvalidDataException($"{shardName}: sample '{sample.Key}': .json is not sample metadata: {e.Message}", e);
            }
        }
        RgbImage decoded;
        try
        {
            decoded = ImageDecoder.Decode(image.Value);
        }
        catch (ImageDecodeException e)
        {
            throw new InvalidDataException($"{shardName}: sample '{sample.Key}': .{image.Key} does not decode: {e.Message}", e);
        }
        var original = sample.Get("txt") is { } txt ? Encoding.UTF8.GetString(txt) : metadata?.Caption;
        var sha = metadata?.Sha256 ?? Convert.ToHexStringLower(SHA256.HashData(image.Value));
        var row = new TokenRow
        {
            Key = sample.Key,
            Caption = captions.Resolve(sample.Key, original),
            GridH = tokenizer.GridSize,
            GridW = tokenizer.GridSize,
            Bits = tokenizer.Bits,
            SourceSha256 = sha,
            Checkpoint = tokenizer.Id,
        };
        return (row, decoded);
    }

    private static async Task FlushAsync(List<(TokenRow Row, RgbImage Image)> pending, List<TokenRow> rows,
        CheckpointTokenizer tokenizer, CancellationToken ct)
    {
        var ids = await tokenizer.TokenizeAsync([.. pending.Select(p => p.Image)], ct);
        for (var i = 0; i < pending.Count; i++)
        {
            pending[i].Row.Ids = ids[i];
            rows.Add(pending[i].Row);
        }
        pending.Clear();
    }
}
