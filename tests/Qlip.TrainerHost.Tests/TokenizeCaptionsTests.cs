using System.Text;
using Qlip.Data.Captions;
using Qlip.Data.Making;
using Qlip.Data.Sets;
using Qlip.Data.Tokens;
using Qlip.Data.WebDataset;
using Qlip.Ingest;
using Qlip.Ingest.Processing;
using Qlip.Ingest.Reading;
using Qlip.Ingest.Sharding;
using Qlip.Shared.Messages;
using Qlip.Shared.Queues;
using Qlip.Shared.Storage;
using Qlip.Testing.Azurite;
using Qlip.Testing.Data;

namespace Qlip.TrainerHost.Tests;

/// <summary>Tokens rows take their caption through the caption policy from the tar's originals and the shard's captions parquet.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TokenizeCaptionsTests(AzuriteFixture azurite, TokenizeInputs inputs) : IClassFixture<TokenizeInputs>
{
    [Fact]
    public async Task Recaptioned_SA1B_samples_get_their_recaption_and_a_failed_one_stays_empty()
    {
        // A real SA-1B-style shard (openclipart drawings, jpg + json, no captions) through ingest's shard builder.
        var folder = Directory.CreateTempSubdirectory("qlip-tokenize-sa1b-").FullName;
        try
        {
            await DataMaker.MakeAsync(new DataMakeOptions("openclipart", DataSplit.Test, 8, folder) { Limit = 8, Format = ShardFormat.Sa1b }, RealData.Paths);
            var clean = Path.Combine(folder, "clean.tar");
            List<string> keys;
            await using (var input = File.OpenRead(Path.Combine(folder, "sa_000000.tar")))
            await using (var output = File.Create(clean))
            {
                var build = await new ShardBuilder(new SampleProcessor(new IngestOptions { ImageSize = 64 }))
                    .BuildAsync(new Sa1bShardReader(gzip: false, maxMemberBytes: 1 << 26).ReadAsync(input, default), "sa_000000.tar", output, default);
                keys = [.. build.Written.Select(r => r.Key)];
            }
            Assert.Equal(8, keys.Count);
            Assert.All(await ReadSamplesAsync(clean), s => Assert.Null(s.Get("txt"))); // nothing to fall back on

            using var harness = new TokenizeHarness(azurite);
            await harness.UploadShardAsync(clean);
            await harness.UploadCheckpointAsync(inputs.CheckpointFolder);
            await harness.UploadCaptionsAsync(keys.Select((key, i) => i < keys.Count - 1
                ? new CaptionRow { Key = key, Caption = $"a clip-art drawing, number {i}", Backend = "openai", Model = "qwen2-vl" }
                : new CaptionRow { Key = key, Status = "timeout", Backend = "openai", Model = "qwen2-vl", ErrorMessage = "no answer in 60 s" }));

            await harness.HandleAsync();

            var rows = await harness.Store.ReadAllRowsAsync(await harness.Store.ReadManifestAsync(harness.Dataset, harness.RunId, default), default);
            Assert.Equal(keys, rows.Select(r => r.Key));
            Assert.Equal([.. keys.SkipLast(1).Select((_, i) => $"a clip-art drawing, number {i}"), ""], rows.Select(r => r.Caption));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(CaptionSource.Original)]
    [InlineData(CaptionSource.Recaption)]
    [InlineData(CaptionSource.Mixed)]
    public async Task Policy_picks_the_original_or_the_recaption_per_key(CaptionSource source)
    {
        var samples = await ReadSamplesAsync(inputs.ShardTar);
        string Original(WebDatasetSample s) => Encoding.UTF8.GetString(s.Get("txt")!);
        string Recaption(WebDatasetSample s) => $"recaptioned: {Original(s)} ({s.Key})";
        using var harness = new TokenizeHarness(azurite, captions: source, recaptionRatio: 0.3);
        await harness.UploadShardAsync(inputs.ShardTar);
        await harness.UploadCheckpointAsync(inputs.CheckpointFolder);
        await harness.UploadCaptionsAsync(samples.Select(s => new CaptionRow { Key = s.Key, Caption = Recaption(s), Backend = "openai", Model = "m" }));

        await harness.HandleAsync();

        var rows = await harness.Store.ReadAllRowsAsync(await harness.Store.ReadManifestAsync(harness.Dataset, harness.RunId, default), default);
        var recaptioned = rows.Zip(samples).Count(p => p.First.Caption == Recaption(p.Second));
        var original = rows.Zip(samples).Count(p => p.First.Caption == Original(p.Second));
        Assert.Equal(TokenizeInputs.Samples, recaptioned + original);
        switch (source)
        {
            case CaptionSource.Original: Assert.Equal(0, recaptioned); break;
            case CaptionSource.Recaption: Assert.Equal(0, original); break;
            default:
                // Exactly the keys the resolver's hash sends to the recaption, which is some but not all of them.
                var policy = new CaptionResolver(CaptionSource.Mixed, 0.3);
                Assert.All(rows.Zip(samples), p => Assert.Equal(policy.PrefersRecaption(p.Second.Key) ? Recaption(p.Second) : Original(p.Second), p.First.Caption));
                Assert.InRange(recaptioned, 1, TokenizeInputs.Samples - 1);
                break;
        }
    }

    [Fact]
    public async Task Captions_written_while_the_shard_is_tokenized_send_it_back_to_the_queue_and_the_retry_takes_them()
    {
        var samples = await ReadSamplesAsync(inputs.ShardTar);
        var recaptions = samples.Select(s => new CaptionRow { Key = s.Key, Caption = $"a recaption of {s.Key}", Backend = "openai", Model = "m" }).ToList();
        TokenizeHarness? writer = null;
        // The caption service writes after the worker read the (absent) captions and before it lists its file: the writer
        // looked for stale tokens too early, so the worker must notice.
        using var harness = new TokenizeHarness(azurite, captions: CaptionSource.Recaption,
            whileLoading: () => writer!.UploadCaptionsAsync(recaptions).GetAwaiter().GetResult());
        writer = harness;
        await harness.UploadShardAsync(inputs.ShardTar);
        await harness.UploadCheckpointAsync(inputs.CheckpointFolder);

        var deferred = await Assert.ThrowsAsync<MessageDeferredException<TokenizeRequest>>(() => harness.HandleAsync());
        Assert.Equal((harness.Request, TimeSpan.Zero), (deferred.Next, deferred.Delay));
        Assert.Contains("changed while it was tokenized", deferred.Message);
        Assert.All(await RowsAsync(harness), r => Assert.DoesNotContain("recaption", r.Caption));  // published from the captions it read

        await harness.Handler.HandleAsync(deferred.Next, new QueueMessageContext(StorageNames.Queues.Tokenize, "m2", 1, null), CancellationToken.None);
        Assert.Equal(recaptions.Select(r => (r.Key, r.Caption)), (await RowsAsync(harness)).Select(r => (r.Key, (string?)r.Caption)));
        Assert.Equal(ShardCaptions.DigestOf(recaptions), Assert.Single((await harness.Store.ReadManifestAsync(harness.Dataset, harness.RunId, default)).Files).CaptionsDigest);
    }

    private static async Task<List<TokenRow>> RowsAsync(TokenizeHarness harness) =>
        await harness.Store.ReadAllRowsAsync(await harness.Store.ReadManifestAsync(harness.Dataset, harness.RunId, default), default);

    private static async Task<List<WebDatasetSample>> ReadSamplesAsync(string tar)
    {
        var samples = new List<WebDatasetSample>();
        await using var stream = File.OpenRead(tar);
        await foreach (var sample in WebDatasetReader.ReadAsync(stream)) samples.Add(sample);
        return samples;
    }
}
