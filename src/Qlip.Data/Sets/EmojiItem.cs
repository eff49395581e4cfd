namespace Qlip.Data.Sets;

/// <summary>One Noto emoji image (64×64 RGBA PNG) with its Unicode name and category.</summary>
/// <param name="Unified">Code points, e.g. <c>1F44B-1F3FD</c>.</param>
/// <param name="Name">Lower-case Unicode name, with the skin tone appended for variations (<c>waving hand sign, medium skin tone</c>).</param>
/// <param name="ShortNames">The short names of the base emoji (<c>wave</c>).</param>
/// <param name="Category">Top category (<c>People &amp; Body</c>).</param>
/// <param name="Subcategory">Subcategory (<c>hand-fingers-open</c>).</param>
/// <param name="ImagePath">Absolute path of the PNG.</param>
public sealed record EmojiItem(string Unified, string Name, IReadOnlyList<string> ShortNames, string Category,
    string Subcategory, string ImagePath);
