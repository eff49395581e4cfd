using System.Text.Json.Serialization;

namespace Qlip.Data.Sets;

// The fields of emoji-datasource's emoji.json that EmojiDataset reads.
internal sealed class EmojiJsonEntry
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("unified")] public string Unified { get; set; } = "";
    [JsonPropertyName("image")] public string Image { get; set; } = "";
    [JsonPropertyName("short_names")] public string[] ShortNames { get; set; } = [];
    [JsonPropertyName("category")] public string Category { get; set; } = "";
    [JsonPropertyName("subcategory")] public string Subcategory { get; set; } = "";
    [JsonPropertyName("sort_order")] public int SortOrder { get; set; }
    [JsonPropertyName("has_img_google")] public bool HasImgGoogle { get; set; }
    [JsonPropertyName("skin_variations")] public Dictionary<string, EmojiJsonEntry>? SkinVariations { get; set; }
}
