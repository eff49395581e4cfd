namespace Qlip.ML.Tests.Models;

/// <summary>Changes the process-wide default device, so nothing may run beside it.</summary>
[CollectionDefinition(nameof(DefaultDeviceCollection), DisableParallelization = true)]
public sealed class DefaultDeviceCollection;
