using System.Collections.Concurrent;
using System.Globalization;
using Qlip.Data.Images;
using Qlip.Data.WebDataset;
using Qlip.ML.Imaging;
using Qlip.ML.Text;

namespace Qlip.ML.Training.Data;

/// <summary>
/// Streams image-caption batches out of the webdataset shards of a manifest, epoch after epoch: shards in a seeded
/// order, then a seeded shuffle buffer (webdataset's <c>shuffle(n)</c>), images through <see cref="ImagePreprocessor"/>,
/// captions through the CLIP tokenizer. The cursor is (epoch, raw samples consumed), so a restore replays the epoch's
/// sample order without decoding images and continues exactly. A sample without a decodable image or a caption is
/// skipped and counted under its reason; wrap in <see cref="PrefetchingBatchSource{TBatch}"/> to decode in the background.
/// </summary>
public sealed class ShardBatchSource : IBatchSource<ImageTextBatch>
{
    private readonly IShardStore store;
    private readonly ShardBatchOptions options;
    private readonly ImagePreprocessor preprocessor;
    private readonly ClipBpeTokenizer tokenizer;
    private readonly ICaptionPolicy captions;
    private readonly ConcurrentDictionary<string, long> skipped = new(StringComparer.Ordinal);
    private IEnumerator<WebDatasetSample>? samples;
    private long epoch, consumed, usedThisEpoch;

    /// <summary>Reads <paramref name="store"/>'s shards; nothing is opened until the first batch.</summary>
    public ShardBatchSource(IShardStore store, ShardBatchOptions options, ImagePreprocessor preprocessor, ClipBpeTokenizer tokenizer,
        ICaptionPolicy? captions = null)
    {
        this.store = store ?? throw new ArgumentNullException(nameof(store));
        this.options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        this.preprocessor = preprocessor ?? throw new ArgumentNullException(nameof(preprocessor));
        this.tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        this.captions = captions ?? new OriginalCaptionPolicy();
    }

    /// <summary>Samples skipped so far, by reason (<c>no_image</c>, <c>no_caption</c>, <c>not_an_image</c>, …).</summary>
    public IReadOnlyDictionary<string, long> Skipped => skipped;

    /// <inheritdoc />
    public string Cursor => string.Create(CultureInfo.InvariantCulture, $"{epoch}:{consumed}");

    /// <inheritdoc />
    public ImageTextBatch Next(CancellationToken cancellationToken)
    {
        var images = new List<RgbImage>(options.BatchSize);
        var texts = new List<string>(options.BatchSize);
        var keys = new List<string>(options.BatchSize);
        while (images.Count < options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            samples ??= Epoch(epoch, cancellationToken).GetEnumerator();
            if (!samples.MoveNext())
            {
                if (usedThisEpoch + images.Count < options.BatchSize)
                    throw new InvalidDataException($"{store.Describe}: an epoch yields fewer than {options.BatchSize} usable samples " +
                        $"(skipped: {string.Join(", ", skipped.Select(s => $"{s.Key} {s.Value}"))})");
                (epoch, consumed, usedThisEpoch, samples) = (epoch + 1, 0, 0, null);
                images.Clear();
                texts.Clear();
                keys.Clear();
                continue;
            }
            consumed++;
            if (Decode(samples.Current) is not { } pair) continue;
            images.Add(pair.Image);
            texts.Add(pair.Caption);
            keys.Add(samples.Current.Key);
        }
        usedThisEpoch += images.Count;
        return new ImageTextBatch(preprocessor.Preprocess(images), tokenizer.TokenizeBatch(texts, options.ContextLength), keys);
    }

    /// <inheritdoc />
    public void Restore(string cursor)
    {
        var parts = cursor.Split(':');
        if (parts.Length != 2 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out var e) || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var n))
            throw new FormatException($"data cursor '{cursor}' is not 'epoch:samples'");
        samples?.Dispose();
        (epoch, consumed, usedThisEpoch, samples) = (e, 0, 0, Epoch(e, CancellationToken.None).GetEnumerator());
        while (consumed < n && samples.MoveNext()) consumed++;
        usedThisEpoch = consumed;  // only guards the "epoch too small" check
    }

    private (RgbImage Image, string Caption)? Decode(WebDatasetSample sample)
    {
        if (sample.FirstOf("png", "jpg", "jpeg", "webp") is not { } image) return Skip("no_image");
        if (captions.Caption(sample) is not { } caption) return Skip("no_caption");
        try
        {
            return (ImageDecoder.Decode(image.Value), caption);
        }
        catch (ImageDecodeException e)
        {
            return Skip(e.Reason);
        }
    }

    private (RgbImage, string)? Skip(string reason)
    {
        skipped.AddOrUpdate(reason, 1, (_, n) => n + 1);
        return null;
    }

    private IEnumerable<WebDatasetSample> Epoch(long e, CancellationToken ct)
    {
        var random = new Random(unchecked((int)(options.Seed * 1_000_003 + e)));
        var order = store.Shards.ToArray();
        random.Shuffle(order);
        var buffer = new List<WebDatasetSample>(options.ShuffleBuffer);
        foreach (var shard in order)
        {
            using var stream = store.Open(shard, ct);
            foreach (var sample in WebDatasetReader.ReadAsync(stream, ct: ct).ToBlockingEnumerable(ct))
            {
                if (buffer.Count < options.ShuffleBuffer)
                {
                    buffer.Add(sample);
                    continue;
                }
                var pick = random.Next(buffer.Count);
                yield return buffer[pick];
                buffer[pick] = sample;
            }
        }
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(buffer));
        foreach (var sample in buffer) yield return sample;
    }

    /// <inheritdoc />
    public void Dispose() => samples?.Dispose();
}
