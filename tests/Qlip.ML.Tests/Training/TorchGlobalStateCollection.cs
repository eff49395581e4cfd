namespace Qlip.ML.Tests.Training;

/// <summary>
/// Tests that need torch's process-wide state to themselves: the global generator (dropout, parameter init) and the
/// intra-op thread count. Any other test building a module in parallel would draw from the same generator and break
/// bit-identical resume, so xUnit runs this collection with nothing else alongside.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchGlobalStateCollection
{
    public const string Name = "torch global state";
}
