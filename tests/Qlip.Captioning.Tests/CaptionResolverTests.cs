using Qlip.Data.Captions;

namespace Qlip.Captioning.Tests;

/// <summary>The one caption policy training and tokenization read through.</summary>
public sealed class CaptionResolverTests
{
    private static readonly string[] Keys = [.. Enumerable.Range(0, 20_000).Select(i => $"{i / 1000:D8}{i % 1000:D6}")];

    [Fact]
    public void Original_and_recaption_prefer_their_caption_and_fall_back_to_the_other_when_it_is_missing()
    {
        var original = new CaptionResolver(CaptionSource.Original);
        var recaption = new CaptionResolver(CaptionSource.Recaption);

        Assert.Equal(("alt", "vlm"), (original.Resolve("k", "alt", "vlm"), recaption.Resolve("k", "alt", "vlm")));
        Assert.Equal(("vlm", "alt"), (original.Resolve("k", "  ", "vlm"), recaption.Resolve("k", "alt", null)));
        Assert.Null(original.Resolve("k", null, ""));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    [InlineData(1.0)]
    public void Mixed_takes_the_recaption_for_the_given_fraction_of_keys_the_same_way_every_time(double ratio)
    {
        var mixed = new CaptionResolver(CaptionSource.Mixed, ratio);

        var chosen = Keys.Where(mixed.PrefersRecaption).ToList();

        // 20k Bernoulli draws: the standard deviation of the fraction is at most 0.0035.
        Assert.InRange(chosen.Count / (double)Keys.Length, ratio - 0.015, ratio + 0.015);
        Assert.Equal(chosen, Keys.Where(new CaptionResolver(CaptionSource.Mixed, ratio).PrefersRecaption));
        Assert.All(Keys.Take(100), k => Assert.Equal(mixed.PrefersRecaption(k) ? "vlm" : "alt", mixed.Resolve(k, "alt", "vlm")));
    }

    [Fact]
    public void Mixed_ratios_nest_so_raising_the_ratio_only_adds_recaptioned_keys()
    {
        var low = Keys.Where(new CaptionResolver(CaptionSource.Mixed, 0.2).PrefersRecaption).ToHashSet();
        var high = Keys.Where(new CaptionResolver(CaptionSource.Mixed, 0.6).PrefersRecaption).ToHashSet();

        Assert.Subset(high, low);
    }

    [Fact]
    public void A_ratio_outside_zero_to_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CaptionResolver(CaptionSource.Mixed, 1.5).PrefersRecaption("k"));
    }
}
