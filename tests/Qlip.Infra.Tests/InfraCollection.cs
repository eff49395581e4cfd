namespace Qlip.Infra.Tests;

/// <summary>Shares one <see cref="InfraTemplates"/> (one set of Bicep runs) across the test classes.</summary>
[CollectionDefinition(Name)]
public sealed class InfraCollection : ICollectionFixture<InfraTemplates>
{
    public const string Name = "infra/bicep";
}
