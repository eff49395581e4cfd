namespace Qlip.ML.Training.Schedules;

/// <summary>
/// Linear warm-up then cosine decay to a floor, nanoGPT's <c>get_lr</c> as a factor: (step+1)/warmup during the
/// first <see cref="WarmupSteps"/> steps, then floor + ½(1 − floor)(1 + cos(π·progress)) where progress runs from 0 at
/// the end of warm-up to 1 at <see cref="TotalSteps"/>, and the floor after that.
/// </summary>
/// <param name="WarmupSteps">Steps of linear warm-up (stage 1 uses 2k); 0 starts at the peak.</param>
/// <param name="TotalSteps">Step at which the floor is reached.</param>
/// <param name="FloorRatio">Final factor, e.g. 0.1 for min_lr = peak/10.</param>
public sealed record WarmupCosineSchedule(long WarmupSteps, long TotalSteps, double FloorRatio = 0) : ILrSchedule
{
    /// <inheritdoc />
    public double Factor(long step)
    {
        if (WarmupSteps < 0 || TotalSteps < WarmupSteps || FloorRatio is < 0 or > 1)
            throw new InvalidOperationException($"Invalid schedule {this}: need 0 ≤ warm-up ≤ total and floor in [0, 1].");
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (step < WarmupSteps) return (step + 1) / (double)WarmupSteps;
        if (step >= TotalSteps) return FloorRatio;
        var progress = (step - WarmupSteps) / (double)(TotalSteps - WarmupSteps);
        return FloorRatio + 0.5 * (1 - FloorRatio) * (1 + Math.Cos(Math.PI * progress));
    }
}
