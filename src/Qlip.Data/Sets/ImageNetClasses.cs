namespace Qlip.Data.Sets;

/// <summary>ImageNet-1k (ILSVRC-2012) classes in the standard index order (sorted by WordNet id: 0 = tench, 999 = toilet tissue).</summary>
public static class ImageNetClasses
{
    /// <summary>The 1000 (wnid, name) pairs from the data cache.</summary>
    /// <exception cref="DataNotFoundException">Setup has not fetched them.</exception>
    public static IReadOnlyList<(string Wnid, string Name)> Load(DataPaths paths)
    {
        var path = DataPaths.Require(paths.ImageNetClasses, "ImageNet-1k class names (from Debian darknet)");
        var classes = File.ReadLines(path)
            .Select((line, i) => line.Split('\t') is [var wnid, var name]
                ? (wnid, name)
                : throw new InvalidDataException($"{path}:{i + 1}: expected 'wnid<TAB>name'"))
            .ToList();
        if (classes.Count != 1000) throw new InvalidDataException($"{path}: {classes.Count} classes, expected 1000");
        return classes;
    }
}
