using Qlip.Data.WebDataset;

namespace Qlip.ML.Training.Data;

/// <summary>Shards in a local folder, listed by its <c>sizes.json</c> (what <c>qlip data make</c> writes).</summary>
public sealed class LocalShardStore : IShardStore
{
    private readonly string folder;

    private LocalShardStore(string folder, IReadOnlyList<ShardEntry> shards, string describe)
    {
        this.folder = folder;
        Shards = shards;
        Describe = describe;
    }

    /// <inheritdoc />
    public string Describe { get; }

    /// <inheritdoc />
    public IReadOnlyList<ShardEntry> Shards { get; }

    /// <summary>
    /// Reads the manifest at <paramref name="path"/>: a folder holding <c>sizes.json</c>, or the manifest file itself.
    /// Missing, empty or shard-less manifests are errors naming the file.
    /// </summary>
    public static LocalShardStore Open(string path)
    {
        var manifest = Directory.Exists(path) ? Path.Combine(path, ShardNames.SizesFile) : path;
        if (!File.Exists(manifest)) throw new FileNotFoundException($"no shard manifest at {manifest} (write one with `qlip data make`)", manifest);
        var shards = Parse(File.ReadAllBytes(manifest), manifest);
        var folder = Path.GetDirectoryName(Path.GetFullPath(manifest))!;
        var missing = shards.FirstOrDefault(s => !File.Exists(Path.Combine(folder, s.Name)));
        if (missing is not null) throw new FileNotFoundException($"{manifest} lists {missing.Name}, which is not in {folder}", missing.Name);
        return new LocalShardStore(folder, shards, manifest);
    }

    /// <summary>Shards with samples from a <c>sizes.json</c> manifest; <paramref name="source"/> names it in errors.</summary>
    public static IReadOnlyList<ShardEntry> Parse(ReadOnlySpan<byte> sizesJson, string source)
    {
        SortedDictionary<string, long> sizes;
        try
        {
            sizes = DatasetSizes.Parse(sizesJson);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"{source} is not a sizes.json manifest: {e.Message}", e);
        }
        var shards = sizes.Where(s => s.Value > 0).Select(s => new ShardEntry(s.Key, s.Value)).ToList();
        return shards.Count > 0 ? shards : throw new InvalidDataException($"{source} lists no shard with samples");
    }

    /// <inheritdoc />
    public Stream Open(ShardEntry shard, CancellationToken cancellationToken) =>
        new FileStream(Path.Combine(folder, shard.Name), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
}
