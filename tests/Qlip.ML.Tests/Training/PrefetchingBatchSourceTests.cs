using Qlip.ML.Training.Data;

namespace Qlip.ML.Tests.Training;

public class PrefetchingBatchSourceTests
{
    [Fact]
    public void Cursor_is_that_of_the_consumed_batch_and_restoring_it_continues_exactly()
    {
        using var prefetching = new PrefetchingBatchSource<ImageBatch>(new FashionMnistBatches(512, 16, seed: 9), capacity: 3);
        for (var i = 0; i < 5; i++) prefetching.Next(CancellationToken.None).Dispose();
        var cursor = prefetching.Cursor;
        Assert.Equal("0:80:5", cursor);  // 5 batches of 16, although up to 3 more were prefetched

        using var direct = new FashionMnistBatches(512, 16, seed: 9);
        direct.Restore(cursor);
        using var expected = direct.Next(CancellationToken.None);
        using var actual = prefetching.Next(CancellationToken.None);
        Assert.True(expected.Images.equal(actual.Images).all().item<bool>());

        prefetching.Restore(cursor);  // rewind a running prefetcher
        using var again = prefetching.Next(CancellationToken.None);
        Assert.True(expected.Labels.equal(again.Labels).all().item<bool>());
    }

    [Fact]
    public void A_failure_in_the_producer_surfaces_to_the_consumer()
    {
        using var prefetching = new PrefetchingBatchSource<ImageBatch>(new BrokenSource());
        var ex = Assert.Throws<InvalidDataException>(() => prefetching.Next(CancellationToken.None));
        Assert.Contains("shard 00000003.tar", ex.Message);
    }

    private sealed class BrokenSource : IBatchSource<ImageBatch>
    {
        public string Cursor => "0";

        public ImageBatch Next(CancellationToken cancellationToken) => throw new InvalidDataException("shard 00000003.tar is truncated");

        public void Restore(string cursor)
        {
        }

        public void Dispose()
        {
        }
    }
}
