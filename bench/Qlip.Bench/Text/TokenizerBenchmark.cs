using System.Diagnostics;
using System.Globalization;
using Qlip.Data.Sets;
using Qlip.ML.Configs;
using Qlip.ML.Models;
using Qlip.ML.Text;
using static TorchSharp.torch;

namespace Qlip.Bench.Text;

/// <summary>
/// CLIP BPE tokenizer throughput on captions built from real names (Noto emoji, ImageNet classes): cold (empty BPE
/// cache, every word new) and warm, one thread and the batch API on all threads, and the ratio to the small text
/// tower's forward pass on the same rows — above 1 the tokenizer is never what training waits for.
/// </summary>
internal static class TokenizerBenchmark
{
    private static readonly string[] Templates =
    [
        "a photo of a {0}.", "A blurry photo of the {0} next to a {1}!", "itap of a {0} and {1}, taken in 19{2}.",
        "{0}'s friend -- isn't it a {1}?", "the {0} (20{2}) & a {1}", "\"{0}\" on a {1}; we've {2} left",
    ];

    public static string Run(int count, string preset, int batchSize, TextWriter log)
    {
        var captions = Captions(count);
        log.WriteLine($"{captions.Length} captions, {captions.Sum(c => c.Length) / captions.Length} characters on average");

        var tokenizer = ClipBpeTokenizer.LoadDefault();
        var cold = Rate(captions, c => tokenizer.Encode(c));
        var warm = Rate(captions, c => tokenizer.Encode(c));
        tokenizer.TokenizeBatch(captions[..batchSize]).Dispose(); // loads libtorch outside the timing
        var batched = Rate(captions.Chunk(batchSize).ToArray(), chunk => tokenizer.TokenizeBatch(chunk).Dispose()) * batchSize;
        log.WriteLine($"cold {cold:F0}/s, warm {warm:F0}/s, batched {batched:F0}/s");

        var config = QlipPresets.Load(preset);
        var contextLength = config.Text.MaxPositionEmbeddings;
        using var model = new QlipModel(config);
        model.eval();
        var rows = captions.Take(batchSize * 8).Chunk(batchSize).Select(c => tokenizer.TokenizeBatch(c, contextLength)).ToArray();
        double tower;
        using (no_grad())
        {
            using (var _ = model.EncodeText(rows[0])) { } // warm-up
            tower = Rate(rows, ids => model.EncodeText(ids).Dispose()) * batchSize;
        }
        foreach (var r in rows) r.Dispose();
        log.WriteLine($"text tower ({preset}) forward {tower:F0} captions/s");

        // the project runs with invariant globalization, so interpolation formats numbers the same everywhere
        return
            $"{captions.Length} captions from real names (Noto emoji, ImageNet classes), {get_num_threads()} torch threads, " +
            $"{Environment.ProcessorCount} cores.\n\n" +
            "| captions/s: cold (new words) | warm (cached words) | TokenizeBatch, all cores | text tower forward (`" + preset + "`) " +
            "| warm ÷ cold | batched ÷ tower |\n|---:|---:|---:|---:|---:|---:|\n" +
            $"| {cold:F0} | {warm:F0} | {batched:F0} | {tower:F0} | {warm / cold:F1} | {batched / tower:F1} |";
    }

    private static string[] Captions(int count)
    {
        var paths = DataPaths.Resolve();
        string[] names =
        [
            .. EmojiDataset.LoadAll(paths).Select(e => e.Name).Distinct(),
            .. ImageNetClasses.Load(paths).Select(c => c.Name),
        ];
        return [.. Enumerable.Range(0, count).Select(i => string.Format(CultureInfo.InvariantCulture, Templates[i % Templates.Length],
            names[i % names.Length], names[i * 7 % names.Length], i % 100))];
    }

    // items per second over one pass
    private static double Rate<T>(IReadOnlyList<T> items, Action<T> work)
    {
        var clock = Stopwatch.StartNew();
        foreach (var item in items) work(item);
        return items.Count / clock.Elapsed.TotalSeconds;
    }
}
