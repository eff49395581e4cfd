using Qlip.Testing.Azurite;

namespace Qlip.Captioning.Tests;

/// <summary>
/// Tests that run real worker hosts on the pipeline's own queues (<c>caption</c>, <c>tokenize</c>): an Azurite of their
/// own, so no other test's leftover message is consumed and none of theirs is.
/// </summary>
[CollectionDefinition(Name)]
public sealed class OrderingCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "ordering";
}
