using Qlip.ML.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Qlip.ML.Nn;

/// <summary>A stack of <see cref="TransformerBlock"/>s under the reference name <c>encoder.layers.{i}</c>.</summary>
public sealed class TransformerStack : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly ModuleList<TransformerBlock> layers;

    /// <summary>Builds num_hidden_layers blocks sharing one rotary table.</summary>
    public TransformerStack(QlipTowerConfig config, Rope2d? rope, int ropeShift) : base(nameof(TransformerStack))
    {
        layers = new ModuleList<TransformerBlock>(
            Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new TransformerBlock(config, rope, ropeShift)).ToArray());
        RegisterComponents();
    }

    /// <summary>The output of the last block.</summary>
    public override Tensor forward(Tensor x, Tensor? mask)
    {
        foreach (var layer in layers) x = layer.call(x, mask);
        return x;
    }

    /// <summary>The input followed by every block's output: element i+1 is block i's output, [^2] the second-last layer.</summary>
    public IReadOnlyList<Tensor> HiddenStates(Tensor x, Tensor? mask)
    {
        var states = new List<Tensor>(layers.Count + 1) { x };
        foreach (var layer in layers) states.Add(layer.call(states[^1], mask));
        return states;
    }
}
