using Qlip.Testing.Azurite;

namespace Qlip.Captioning.Tests;

/// <summary>Tests that share one Azurite process (its own ports and folder).</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>, ICollectionFixture<TrainedCheckpoint>
{
    public const string Name = "azurite";
}
