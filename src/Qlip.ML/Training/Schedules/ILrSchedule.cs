namespace Qlip.ML.Training.Schedules;

/// <summary>
/// A learning-rate schedule as a pure function of the optimizer step: the factor each group's peak lr is multiplied
/// by (per-group scaling: every group follows the same shape at its own peak). Being pure, it needs no checkpoint state.
/// </summary>
public interface ILrSchedule
{
    /// <summary>The factor in [0, 1] for the update made at <paramref name="step"/> (0-based).</summary>
    double Factor(long step);
}
