using Qlip.Data.Making;
using Qlip.Data.Sets;
using Qlip.Testing.Data;

namespace Qlip.Ingest.Tests;

/// <summary>Real webdataset shards made from the first Fashion-MNIST test images by <see cref="DataMaker"/> (what `qlip data make` runs).</summary>
public sealed class FashionMnistShards : IAsyncLifetime
{
    public const int Samples = 120;
    public const int ShardSize = 50;

    public string Folder { get; } = Directory.CreateTempSubdirectory("qlip-fmnist-shards-").FullName;

    public DataMakeResult Made { get; private set; } = null!;

    public string Tar(int shard) => Path.Combine(Folder, $"{shard:D8}.tar");

    public async Task InitializeAsync() =>
        Made = await DataMaker.MakeAsync(
            new DataMakeOptions("fashion-mnist", DataSplit.Test, ShardSize, Folder) { Limit = Samples }, RealData.Paths);

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }
}
