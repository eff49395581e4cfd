namespace Qlip.ML.Training.Schedules;

/// <summary>Factor 1 after an optional linear warm-up of (step+1)/warmup (the linear probe and short calibration runs use it).</summary>
/// <param name="WarmupSteps">Steps of linear warm-up; 0 for none.</param>
public sealed record ConstantSchedule(long WarmupSteps = 0) : ILrSchedule
{
    /// <inheritdoc />
    public double Factor(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return step < WarmupSteps ? (step + 1) / (double)WarmupSteps : 1.0;
    }
}
