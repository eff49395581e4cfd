using Qlip.ML.Training.Optim;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Training;

public class ParameterGroupBuilderTests
{
    [Fact]
    public void Groups_by_module_lr_exclude_norms_biases_embeddings_and_freeze_prefixes()
    {
        using var model = new TwoTowers();
        var plan = new ParameterGroupBuilder(baseLr: 1e-3, weightDecay: 0.05)
            .LearningRate("encoder.", 2e-4)
            .Freeze("decoder.")
            .NoDecay("embedding")
            .Build(model);

        var byName = plan.Groups.ToDictionary(g => g.Name);
        Assert.Equal(["default/no_decay", "encoder/decay", "encoder/no_decay"], byName.Keys.Order());
        AssertGroup(byName["encoder/decay"], 2e-4, 0.05, "encoder.weight");
        AssertGroup(byName["encoder/no_decay"], 2e-4, 0, "encoder.bias");
        AssertGroup(byName["default/no_decay"], 1e-3, 0, "logit_scale", "norm.bias", "norm.weight", "token_embedding.weight");
        Assert.Equal(["decoder.bias", "decoder.weight"], plan.Frozen.Order());
        Assert.All(model.named_parameters().Where(p => p.name.StartsWith("decoder.")), p => Assert.False(p.parameter.requires_grad));
    }

    [Fact]
    public void Excluded_parameters_stay_trainable_outside_every_group()
    {
        using var model = new TwoTowers();
        var plan = new ParameterGroupBuilder(1e-3, 0.05).Exclude("decoder.").Build(model);
        Assert.DoesNotContain(plan.Groups.SelectMany(g => g.Parameters), p => p.Name.StartsWith("decoder."));
        Assert.Empty(plan.Frozen);
        Assert.All(model.named_parameters().Where(p => p.name.StartsWith("decoder.")), p => Assert.True(p.parameter.requires_grad));
    }

    [Fact]
    public void A_prefix_that_matches_nothing_is_an_error()
    {
        using var model = new TwoTowers();
        var ex = Assert.Throws<ArgumentException>(() => new ParameterGroupBuilder(1e-3, 0.05).LearningRate("vision_model.", 1e-4).Build(model));
        Assert.Contains("vision_model.", ex.Message);
    }

    [Fact]
    public void Frozen_parameters_do_not_change_when_the_optimizer_steps()
    {
        using var model = new TwoTowers();
        var plan = new ParameterGroupBuilder(1e-2, 0.05).Freeze("decoder.").Build(model);
        using var opt = new AdamWOptimizer(plan.Groups);
        var before = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        using (var scope = NewDisposeScope())
        {
            model.call(ones(3, 4)).square().sum().backward();
            opt.Step();
        }
        foreach (var (name, value) in model.state_dict())
        {
            var same = value.equal(before[name]).all().item<bool>();
            Assert.True(name.StartsWith("decoder.") ? same : !same || name == "token_embedding.weight", name);
        }
    }

    private static void AssertGroup(ParameterGroup group, double lr, double wd, params string[] names)
    {
        Assert.Equal(lr, group.PeakLr);
        Assert.Equal(wd, group.WeightDecay);
        Assert.Equal(names, group.Parameters.Select(p => p.Name).Order());
    }

    /// <summary>Linear, norm, embedding, a scalar logit scale and a second tower: the parameter kinds QLIP has.</summary>
    private sealed class TwoTowers : nn.Module<Tensor, Tensor>
    {
        private readonly Linear encoder = nn.Linear(4, 3);
        private readonly LayerNorm norm = nn.LayerNorm(3);
        private readonly Embedding token_embedding = nn.Embedding(5, 3);
        private readonly Linear decoder = nn.Linear(3, 4);
        private readonly Parameter logit_scale = new(tensor(2.6592f));

        public TwoTowers() : base(nameof(TwoTowers)) => RegisterComponents();

        public override Tensor forward(Tensor x) => decoder.call(norm.call(encoder.call(x)) * logit_scale.exp());
    }
}
