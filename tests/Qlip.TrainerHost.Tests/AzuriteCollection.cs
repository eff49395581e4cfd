using Qlip.Testing.Azurite;

namespace Qlip.TrainerHost.Tests;

/// <summary>Tests that share one Azurite process (its own ports and folder); they also share torch's global state, so run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}
