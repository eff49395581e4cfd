using Qlip.ML.Configs;
using Qlip.ML.Models;
using Qlip.Testing.Golden;

namespace Qlip.ML.Tests.Configs;

public class QlipConfigTests
{
    [Fact]
    public void Every_preset_loads_and_validates()
    {
        Assert.Equal(["QLIP-B-16-256", "QLIP-B-8-256", "QLIP-L-14-392", "small", "tiny"], QlipPresets.Names);
        foreach (var name in QlipPresets.Names) QlipPresets.Load(name);
    }

    [Fact]
    public void Defaults_are_the_small_preset()
    {
        Assert.Equal(new QlipConfig(), QlipPresets.Load("small"));
    }

    [Fact]
    public void Published_sizes_have_the_spec_geometry()
    {
        var b16 = QlipPresets.Load("QLIP-B-16-256");
        Assert.Equal((256, 16, 768, 12, 12), (b16.Vision.ImageSize, b16.Vision.PatchSize, b16.Vision.HiddenSize,
            b16.Vision.NumHiddenLayers, b16.Vision.NumAttentionHeads));
        Assert.Equal((512, 12, 8, 77, 49408), (b16.Text.HiddenSize, b16.Text.NumHiddenLayers, b16.Text.NumAttentionHeads,
            b16.Text.MaxPositionEmbeddings, b16.Text.VocabSize));
        Assert.Equal(28, b16.Vision.QuantizerCfg.EmbedDim);
        Assert.Equal(8, QlipPresets.Load("QLIP-B-8-256").Vision.PatchSize);
        var l14 = QlipPresets.Load("QLIP-L-14-392");
        Assert.Equal((28, 1024, 24, 2730, 768), (l14.Vision.GridSize, l14.Vision.HiddenSize, l14.Vision.NumHiddenLayers,
            l14.Vision.IntermediateSize, l14.ProjectionDim));
    }

    [Fact]
    public void Json_round_trips_to_an_equal_config()
    {
        var config = QlipPresets.Load("QLIP-L-14-392");
        Assert.Equal(config, QlipConfig.FromJson(config.ToJson()));
        Assert.Contains("\"vision_config\"", config.ToJson());
        Assert.Contains("\"persample_entropy_compute\"", config.ToJson());
    }

    [Fact]
    public void Validate_names_every_bad_field()
    {
        var config = new QlipConfig();
        var bad = config with
        {
            Vision = config.Vision with { NumAttentionHeads = 5, QuantizerCfg = config.Vision.QuantizerCfg with { GroupSize = 5 } },
            Text = config.Text with { EosTokenId = 60000 },
            Decoder = config.Decoder with { HiddenSize = 96, NumAttentionHeads = 2 },
        };

        var e = Assert.Throws<ArgumentException>(() => bad.Validate());

        Assert.Contains("vision_config.num_attention_heads (5)", e.Message);
        Assert.Contains("vision_config.quantizer_cfg.group_size (5)", e.Message);
        Assert.Contains("text_config.eos_token_id (60000)", e.Message);
        Assert.Contains("decoder_config.hidden_size (96) must equal vision_config.hidden_size_post_q (192)", e.Message);
    }

    [Fact]
    public void Malformed_json_names_its_source()
    {
        var e = Assert.Throws<ArgumentException>(() => QlipConfig.FromJson("{\"vision_config\": 3}", "bad.json"));
        Assert.StartsWith("bad.json", e.Message);
        Assert.Throws<ArgumentException>(() => QlipPresets.Load("QLIP-Z-1-1"));
    }

    [GoldenFact]
    public void The_reference_config_json_loads_with_its_flags()
    {
        var config = QlipConfig.Load(GoldenData.PathOf("qlip_tiny/config.json"));
        Assert.False(config.Vision.KBias);
        Assert.True(config.Vision.SwiGlu && config.Vision.SubLn && config.Vision.Rope);
        Assert.Equal(1e-6, config.Vision.LayerNormEps);
        Assert.Equal("analytical", config.Vision.QuantizerCfg.PersampleEntropyCompute);
        Assert.Equal(999, config.Text.EosTokenId);
        Assert.False(config.TextProjectionBias);

        var alt = QlipConfig.Load(GoldenData.PathOf("qlip_tiny_alt/config.json"));
        Assert.Equal("quick_gelu", alt.Vision.HiddenAct);
        Assert.Equal((16, "group"), (alt.Vision.QuantizerCfg.EmbedDim, alt.Vision.QuantizerCfg.PersampleEntropyCompute));
        Assert.Equal(96, alt.Decoder.IntermediateSize);
    }
}
