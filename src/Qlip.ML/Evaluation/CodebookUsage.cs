using System.Globalization;
using static TorchSharp.torch;

namespace Qlip.ML.Evaluation;

/// <summary>
/// Codebook statistics of BSQ ids accumulated over many batches (qlip-spec §3): the fraction of the 2^L codes used,
/// the empirical entropy of the ids, and the same per group of <c>groupSize</c> bits. Ids pack dimension 0 as the most
/// significant bit, so group k is bits [k·g, (k+1)·g) counted from the top. Entropies are in bits; a uniform
/// distribution over all 2^L codes would give L.
/// </summary>
public sealed class CodebookUsage
{
    private readonly Dictionary<long, long> counts = [];
    private readonly long[][] groupCounts;

    /// <summary>Tracks ids of <paramref name="bits"/> bits split into groups of <paramref name="groupSize"/> (≤ 20, dividing L).</summary>
    public CodebookUsage(int bits, int groupSize)
    {
        if (bits is < 1 or > 62) throw new ArgumentOutOfRangeException(nameof(bits), bits, "must be in [1, 62]");
        if (groupSize is < 1 or > 20 || bits % groupSize != 0)
            throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, $"must divide {bits} and be in [1, 20]");
        Bits = bits;
        GroupSize = groupSize;
        groupCounts = Enumerable.Range(0, bits / groupSize).Select(_ => new long[1 << groupSize]).ToArray();
    }

    /// <summary>Bits per id (L).</summary>
    public int Bits { get; }

    /// <summary>Bits per group.</summary>
    public int GroupSize { get; }

    /// <summary>Tokens counted so far.</summary>
    public long Tokens { get; private set; }

    /// <summary>Distinct ids seen.</summary>
    public long DistinctCodes => counts.Count;

    /// <summary>Distinct ids / 2^L.</summary>
    public double Usage => counts.Count / Math.Pow(2, Bits);

    /// <summary>Entropy in bits of the empirical id distribution.</summary>
    public double EntropyBits => Entropy(counts.Values, Tokens);

    /// <summary>Per group: distinct group ids / 2^g.</summary>
    public IReadOnlyList<double> GroupUsage => groupCounts.Select(c => c.Count(n => n > 0) / (double)c.Length).ToList();

    /// <summary>Per group: entropy in bits of the empirical group-id distribution.</summary>
    public IReadOnlyList<double> GroupEntropyBits => groupCounts.Select(c => Entropy(c, Tokens)).ToList();

    /// <summary>Counts every id of an int64 tensor of any shape; an id outside [0, 2^L) is an error naming it.</summary>
    public void Add(Tensor ids)
    {
        if (ids.dtype != ScalarType.Int64) throw new ArgumentException($"Ids must be int64, got {ids.dtype}.", nameof(ids));
        using var flat = ids.detach().cpu().contiguous().flatten();
        var limit = 1L << Bits;
        var mask = (1L << GroupSize) - 1;
        foreach (var id in flat.data<long>())
        {
            if (id < 0 || id >= limit) throw new ArgumentOutOfRangeException(nameof(ids), id, $"id outside [0, 2^{Bits})");
            counts[id] = counts.GetValueOrDefault(id) + 1;
            for (var k = 0; k < groupCounts.Length; k++)
                groupCounts[k][(id >> (Bits - (k + 1) * GroupSize)) & mask]++;
            Tokens++;
        }
    }

    /// <summary>The statistics as metrics: <c>codebook/usage</c>, <c>codebook/entropy_bits</c>, <c>codebook/group{k}/…</c>.</summary>
    public IReadOnlyDictionary<string, double> ToMetrics()
    {
        var metrics = new Dictionary<string, double>
        {
            ["codebook/usage"] = Usage,
            ["codebook/distinct"] = DistinctCodes,
            ["codebook/entropy_bits"] = EntropyBits,
        };
        var (usage, entropy) = (GroupUsage, GroupEntropyBits);
        for (var k = 0; k < usage.Count; k++)
        {
            var prefix = "codebook/group" + k.ToString(CultureInfo.InvariantCulture);
            metrics[prefix + "/usage"] = usage[k];
            metrics[prefix + "/entropy_bits"] = entropy[k];
        }
        return metrics;
    }

    private static double Entropy(IEnumerable<long> counts, long total) =>
        total == 0 ? 0 : -counts.Where(n => n > 0).Sum(n => n / (double)total * Math.Log2(n / (double)total));
}
