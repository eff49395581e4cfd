using Qlip.ML.Training.Metrics;

namespace Qlip.ML.Tests.Training;

public class JsonlMetricsTests
{
    [Fact]
    public void Rows_round_trip_including_non_finite_values()
    {
        var row = new MetricsRow(42, MetricsRow.Eval, new Dictionary<string, double>
        {
            ["psnr"] = double.PositiveInfinity, ["loss"] = double.NaN, ["ssim"] = 0.8125, ["lr/default/decay"] = 1e-4,
        });
        var line = JsonlMetrics.Format(row);
        Assert.Equal("""{"step":42,"kind":"eval","psnr":"Infinity","loss":"NaN","ssim":0.8125,"lr/default/decay":0.0001}""", line);
        var back = JsonlMetrics.Parse(line);
        Assert.Equal((42L, "eval"), (back.Step, back.Kind));
        Assert.Equal(row.Values, back.Values);
    }

    [Fact]
    public void A_line_without_step_is_reported() =>
        Assert.Contains("lacks 'step'", Assert.Throws<InvalidDataException>(() => JsonlMetrics.Parse("""{"loss":1}""")).Message);
}
