using System.Text;
using Qlip.ML.Training.Checkpointing;

namespace Qlip.ML.Tests.Training;

public sealed class LocalFolderCheckpointStoreTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("qlip-ckpt-").FullName;

    [Fact]
    public async Task A_checkpoint_without_its_commit_marker_is_ignored()
    {
        var store = new LocalFolderCheckpointStore(root);
        await store.WriteAsync(10, [Text("a.txt", "ten")], CancellationToken.None);
        await Assert.ThrowsAsync<IOException>(() => store.WriteAsync(20, [Text("a.txt", "twenty"), Failing("b.txt")], CancellationToken.None));

        Assert.True(Directory.Exists(Path.Combine(root, "step-00000020")), "the crashed attempt left its folder");
        Assert.Equal(10, await store.LatestAsync(CancellationToken.None));
        await Assert.ThrowsAsync<FileNotFoundException>(() => store.OpenReadAsync(20, "a.txt", CancellationToken.None));
        await using var s = await store.OpenReadAsync(10, "a.txt", CancellationToken.None);
        Assert.Equal("ten", await new StreamReader(s).ReadToEndAsync());
    }

    [Fact]
    public async Task Keeps_only_the_newest_checkpoints()
    {
        var store = new LocalFolderCheckpointStore(root, keepLast: 2);
        foreach (var step in new long[] { 5, 10, 15 }) await store.WriteAsync(step, [Text("a.txt", "x")], CancellationToken.None);
        Assert.Equal(["step-00000010", "step-00000015"], Directory.GetDirectories(root).Select(Path.GetFileName).Order());
        Assert.Equal(15, await store.LatestAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_missing_file_is_named()
    {
        var store = new LocalFolderCheckpointStore(root);
        await store.WriteAsync(1, [Text("a.txt", "x")], CancellationToken.None);
        var ex = await Assert.ThrowsAsync<FileNotFoundException>(() => store.OpenReadAsync(1, "model.safetensors", CancellationToken.None));
        Assert.Contains("model.safetensors", ex.Message);
    }

    private static CheckpointFile Text(string name, string content) =>
        new(name, (s, ct) => s.WriteAsync(Encoding.UTF8.GetBytes(content), ct).AsTask());

    private static CheckpointFile Failing(string name) => new(name, (_, _) => throw new IOException("disk full"));

    public void Dispose() => Directory.Delete(root, recursive: true);
}
