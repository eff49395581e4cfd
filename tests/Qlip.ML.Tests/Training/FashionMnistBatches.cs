using System.Globalization;
using Qlip.ML.Training.Data;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Training;

/// <summary>
/// Shuffled batches over the first <c>count</c> Fashion-MNIST training images. Each epoch's order comes from its own
/// seeded generator, so the cursor "epoch:position" is the whole state. <see cref="PoisonAtBatch"/> makes one batch
/// carry a NaN pixel, the way a corrupt sample would;
/// <see cref="CrashAtBatch"/> makes one throw, like a killed process.
/// </summary>
public sealed class FashionMnistBatches(int count, int batchSize, int seed) : IBatchSource<ImageBatch>
{
    private readonly Lazy<(Tensor Images, Tensor Labels)> data = new(() =>
    {
        // Created lazily, possibly inside the trainer's step scope: detach so the scope does not free the data set.
        using var scope = NewDisposeScope();
        var (images, labels) = FashionMnistTestData.Slice(train: true, 0, count);
        return ((images / 255).DetachFromDisposeScope(), labels.DetachFromDisposeScope());
    });
    private int epoch, position;
    private long served;

    public long? PoisonAtBatch { get; init; }

    /// <summary>Throws while producing this batch (0-based), like a process killed mid-step.</summary>
    public long? CrashAtBatch { get; init; }

    public string Cursor => string.Create(CultureInfo.InvariantCulture, $"{epoch}:{position}:{served}");

    public ImageBatch Next(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (served == CrashAtBatch) throw new IOException($"simulated kill at batch {served}");
        if (position + batchSize > count) (epoch, position) = (epoch + 1, 0);
        var order = Permutation(epoch).AsSpan(position, batchSize).ToArray().Select(i => (long)i).ToArray();
        position += batchSize;
        using var index = tensor(order);
        var images = data.Value.Images.index_select(0, index);
        if (served++ == PoisonAtBatch) images[0, 0, 14, 14] = tensor(float.NaN);
        return new ImageBatch(images, data.Value.Labels.index_select(0, index));
    }

    public void Restore(string cursor)
    {
        var parts = cursor.Split(':').Select(p => long.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        (epoch, position, served) = ((int)parts[0], (int)parts[1], parts[2]);
    }

    private int[] Permutation(int e)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(seed + e).Shuffle(order);
        return order;
    }

    public void Dispose()
    {
        if (!data.IsValueCreated) return;
        data.Value.Images.Dispose();
        data.Value.Labels.Dispose();
    }
}
