using System.Text.Json;

namespace Qlip.Data.Sets;

/// <summary>
/// The Google (Noto) emoji of npm <c>emoji-datasource-google@16.0.0</c>: 3,786 images (1,911 emoji plus skin-tone
/// variations) in emoji.json order (<c>sort_order</c>, variations after their base). No official split: every 10th
/// item is test.
/// </summary>
public static class EmojiDataset
{
    private static readonly Dictionary<string, string> SkinTones = new(StringComparer.OrdinalIgnoreCase)
    {
        ["1F3FB"] = "light skin tone",
        ["1F3FC"] = "medium-light skin tone",
        ["1F3FD"] = "medium skin tone",
        ["1F3FE"] = "medium-dark skin tone",
        ["1F3FF"] = "dark skin tone",
    };

    /// <summary>Every emoji with a Google image, in a fixed order.</summary>
    /// <exception cref="DataNotFoundException">The package is not in the data cache.</exception>
    public static IReadOnlyList<EmojiItem> LoadAll(DataPaths paths)
    {
        var root = DataPaths.Require(paths.Emoji, "emoji (npm emoji-datasource-google@16.0.0)");
        var json = File.ReadAllBytes(DataPaths.Require(Path.Combine(root, "emoji.json"), "emoji.json"));
        var entries = JsonSerializer.Deserialize(json, DataJson.Context.EmojiJsonEntryArray)
            ?? throw new InvalidDataException($"{root}/emoji.json is JSON null");
        var images = Path.Combine(root, "img", "google", "64");
        var items = new List<EmojiItem>();
        foreach (var e in entries.OrderBy(e => e.SortOrder).ThenBy(e => e.Unified, StringComparer.Ordinal))
        {
            var name = (e.Name ?? e.ShortNames.FirstOrDefault()?.Replace('_', ' ') ?? e.Unified).ToLowerInvariant();
            if (e.HasImgGoogle) items.Add(Item(e, name, images));
            foreach (var (tones, variation) in (e.SkinVariations ?? []).OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                if (!variation.HasImgGoogle) continue;
                var toneNames = tones.Split('-').Select(t => SkinTones.GetValueOrDefault(t, t)).Distinct();
                items.Add(Item(variation, $"{name}, {string.Join(", ", toneNames)}", images, e));
            }
        }
        return items;
    }

    /// <summary>The items of <paramref name="split"/> (test = index % 10 == 9).</summary>
    public static IReadOnlyList<EmojiItem> Load(DataPaths paths, DataSplit split) =>
        [.. LoadAll(paths).Where((_, i) => (i % 10 == 9) == (split == DataSplit.Test))];

    private static EmojiItem Item(EmojiJsonEntry e, string name, string images, EmojiJsonEntry? parent = null)
    {
        var baseEntry = parent ?? e;
        return new EmojiItem(e.Unified, name, baseEntry.ShortNames, baseEntry.Category, baseEntry.Subcategory,
            Path.Combine(images, e.Image));
    }
}
