using Qlip.ML.Training.Schedules;

namespace Qlip.ML.Tests.Training;

public class ScheduleTests
{
    [Theory]
    [InlineData(0, 0.1)]        // (0+1)/10
    [InlineData(4, 0.5)]
    [InlineData(9, 1.0)]        // warm-up reaches the peak on its last step
    [InlineData(10, 1.0)]       // cosine starts at the peak
    [InlineData(60, 0.55)]      // half-way: floor + (1 − floor)/2
    [InlineData(110, 0.1)]      // floor at the total
    [InlineData(5000, 0.1)]     // and after it
    public void Warmup_cosine_has_the_expected_factor(long step, double expected) =>
        Assert.Equal(expected, new WarmupCosineSchedule(10, 110, 0.1).Factor(step), 12);

    [Fact]
    public void Warmup_cosine_decreases_monotonically_after_warmup()
    {
        var schedule = new WarmupCosineSchedule(5, 100, 0);
        var factors = Enumerable.Range(5, 96).Select(s => schedule.Factor(s)).ToList();
        Assert.All(factors.Zip(factors.Skip(1)), p => Assert.True(p.Second <= p.First));
        Assert.Equal(0, factors[^1], 12);
    }

    [Theory]
    [InlineData(0, 0.2)]
    [InlineData(4, 1.0)]
    [InlineData(1000, 1.0)]
    public void Constant_with_warmup_has_the_expected_factor(long step, double expected) =>
        Assert.Equal(expected, new ConstantSchedule(5).Factor(step), 12);

    [Fact]
    public void An_invalid_schedule_names_itself() =>
        Assert.Contains("WarmupSteps = 20", Assert.Throws<InvalidOperationException>(() => new WarmupCosineSchedule(20, 10).Factor(0)).Message);
}
