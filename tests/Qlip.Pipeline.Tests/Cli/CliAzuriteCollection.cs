using Qlip.Testing.Azurite;

namespace Qlip.Pipeline.Tests.Cli;

/// <summary>The CLI tests' own Azurite (its own ports and folder).</summary>
[CollectionDefinition(Name)]
public sealed class CliAzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "cli-azurite";
}
