namespace Qlip.ML.Training.Optim;

/// <summary>The result of <see cref="ParameterGroupBuilder.Build"/>: the groups to optimize and the frozen parameter names.</summary>
/// <param name="Groups">Trainable groups, one per (learning-rate rule, decay / no decay) pair that has parameters.</param>
/// <param name="Frozen">Names of parameters set to <c>requires_grad = false</c> and left out of every group.</param>
public sealed record ParameterGroupPlan(IReadOnlyList<ParameterGroup> Groups, IReadOnlyList<string> Frozen);
