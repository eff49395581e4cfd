using System.Runtime.CompilerServices;
using Qlip.ML.Configs;
using Qlip.ML.Models;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Models;

/// <summary>Full-size presets built on the meta device: shapes and counts without allocating a byte of weights.</summary>
[Collection(nameof(DefaultDeviceCollection))]
public class QlipModelSizeTests
{
    private static readonly Lazy<QlipModel> B16 = new(() => OnMeta("QLIP-B-16-256"));

    [Fact]
    public void B16_256_has_the_published_parameter_count()
    {
        var model = B16.Value;
        var count = model.parameters().Sum(p => p.numel());
        Assert.Equal(META.type, model.parameters().First().device_type);
        // 957.7 MB of fp32 in the published safetensors.
        Assert.InRange(count, 239.4e6 * 0.995, 239.4e6 * 1.005);
    }

    [Fact]
    public void B16_256_parameters_split_across_the_towers_as_computed_by_hand()
    {
        var counts = B16.Value.ParameterCounts();

        // Vision: patch conv 590,592 + CLS 768 + positions 197,376 + 12 × 7,093,760 + post-LN 1,536 + bottleneck 1,224,988.
        Assert.Equal(87_140_380, counts["vision_model"]);
        Assert.Equal(88_471_808, counts["vision_decoder"]);
        Assert.Equal(63_165_952, counts["text_model"]);
        Assert.Equal(393_728, counts["visual_projection"]);
        Assert.Equal(262_144, counts["text_projection"]);
        Assert.Equal(1, counts["logit_scale"]);
    }

    [Fact]
    public void B16_256_state_dict_names_and_shapes_match_the_snapshot()
    {
        var model = B16.Value;
        var lines = model.state_dict().Select(kv => $"{kv.Key} [{string.Join(", ", kv.Value.shape)}]")
            .Order(StringComparer.Ordinal).ToList();
        var approved = SnapshotPath("QLIP-B-16-256.state_dict.txt");
        var expected = File.Exists(approved) ? File.ReadAllLines(approved) : [];
        if (!expected.SequenceEqual(lines))
        {
            File.WriteAllLines(approved + ".received", lines);
            var first = expected.Zip(lines).FirstOrDefault(p => p.First != p.Second);
            Assert.Fail($"state dict differs from {approved} ({expected.Length} vs {lines.Count} entries; first difference " +
                $"'{first.First}' vs '{first.Second}'); the new listing is in {approved}.received");
        }
    }

    private static string SnapshotPath(string name, [CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "Snapshots", name);

    private static QlipModel OnMeta(string preset)
    {
        var previous = get_default_device();
        set_default_device(META);
        try
        {
            return new QlipModel(QlipPresets.Load(preset));
        }
        finally
        {
            set_default_device(previous);
        }
    }
}
