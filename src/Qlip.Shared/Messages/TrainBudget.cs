namespace Qlip.Shared.Messages;

/// <summary>When a run stops: after <see cref="Steps"/> optimizer steps or <see cref="Minutes"/> of training, whichever comes first.</summary>
public sealed record TrainBudget
{
    public long? Steps { get; init; }

    public double? Minutes { get; init; }
}
