namespace Qlip.ML.Tests.Training;

/// <summary>Settings of the test run kind.</summary>
/// <param name="Probe">Also train a probe on the detached hidden features with its own optimizer inside the objective,
/// the pattern of stage 2's discriminator.</param>
public sealed record ClassifierConfig(long TotalSteps, bool Lamb = false, bool Probe = false, double Lr = 2e-3, int Hidden = 64);
