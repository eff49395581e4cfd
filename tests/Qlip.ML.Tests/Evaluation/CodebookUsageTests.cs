using Qlip.ML.Evaluation;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Evaluation;

public class CodebookUsageTests
{
    [Fact]
    public void Aggregates_usage_and_entropy_across_batches()
    {
        var usage = new CodebookUsage(bits: 4, groupSize: 2);
        usage.Add(tensor(new long[] { 0, 15 }));
        usage.Add(tensor(new long[,] { { 0 }, { 5 } }));  // 5 = 0b0101 → groups (1, 1); 15 → (3, 3)
        Assert.Equal(4, usage.Tokens);
        Assert.Equal(3, usage.DistinctCodes);
        Assert.Equal(3 / 16.0, usage.Usage, 12);
        Assert.Equal(1.5, usage.EntropyBits, 12);          // p = (½, ¼, ¼)
        Assert.Equal([0.75, 0.75], usage.GroupUsage);
        Assert.Equal(1.5, usage.GroupEntropyBits[0], 12);
        Assert.Equal(3 / 16.0, usage.ToMetrics()["codebook/usage"], 12);
    }

    [Fact]
    public void Groups_take_the_most_significant_bits_first()
    {
        var usage = new CodebookUsage(bits: 28, groupSize: 4);
        usage.Add(tensor(new long[] { (1L << 28) - 1, 1L << 27 }));  // all ones; only the top bit
        var metrics = usage.ToMetrics();
        Assert.Equal(2 / 16.0, metrics["codebook/group0/usage"], 12);  // group 0 saw 15 and 8
        Assert.Equal(2 / 16.0, metrics["codebook/group6/usage"], 12);  // group 6 saw 15 and 0
        Assert.Equal(1.0, metrics["codebook/group3/entropy_bits"], 12);
    }

    [Fact]
    public void An_id_outside_the_codebook_is_named() =>
        Assert.Contains("16", Assert.Throws<ArgumentOutOfRangeException>(() => new CodebookUsage(4, 2).Add(tensor(new long[] { 3, 16 }))).Message);
}
