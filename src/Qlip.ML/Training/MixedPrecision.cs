using System.Diagnostics;
using Qlip.ML.Nn;
using Qlip.ML.Training.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Qlip.ML.Training;

/// <summary>
/// Mixed-precision training the classic way (Micikevicius et al. 2018), for TorchSharp, which has no autocast. The run's
/// own model holds the fp32 master weights: the optimizer updates them, the evaluator reads them, checkpoints save them.
/// A second build of the run, cast to a low-precision dtype, is the working copy whose objective runs the forward and
/// backward. After every backward its gradients are added into the masters' fp32 gradients (so micro-batches
/// accumulate in fp32) and zeroed; clipping and the optimizer step then see fp32 gradients, and the updated masters
/// are copied (rounded) back into the working copy. Model code stays precision-agnostic: it computes in its weights'
/// dtype, casting floating-point inputs where they enter (<see cref="Nn.PatchEmbedding"/>), and the losses upcast what
/// needs fp32 range and mantissa (softmax/logsumexp, MSE, entropies). No loss scaling: bf16 has fp32's 8-bit exponent,
/// so small gradients do not underflow — fp16's 5-bit exponent is why the paper scales the loss.
/// </summary>
internal sealed class MixedPrecision<TBatch> : IDisposable
    where TBatch : IBatch
{
    private readonly TrainingRun<TBatch> working;
    private readonly IReadOnlyList<(Parameter Master, Parameter Working)> pairs;
    private long copyTicks;

    private MixedPrecision(TrainingRun<TBatch> working, IReadOnlyList<(Parameter, Parameter)> pairs)
    {
        this.working = working;
        this.pairs = pairs;
    }

    /// <summary>The working copy's objective: the one the trainer runs.</summary>
    public IObjective<TBatch> Objective => working.Objective;

    /// <summary>The working copy's model (for train/eval mode).</summary>
    public nn.Module Model => working.Model;

    /// <summary>Stopwatch ticks spent copying gradients to the masters and weights back since the last call.</summary>
    public long TakeCopyTicks()
    {
        var ticks = copyTicks;
        copyTicks = 0;
        return ticks;
    }

    /// <summary>
    /// The working copy of <paramref name="master"/>: a second <paramref name="build"/> (torch's generator is restored
    /// afterwards, so the run's random stream is the fp32 run's) with its model cast to <paramref name="dtype"/> and its
    /// parameters paired with the master's by name. Its weights are the master's only after <see cref="CopyWeights"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">The run's objective steps an optimizer of its own (stage 2's discriminator).</exception>
    public static MixedPrecision<TBatch> Create(TrainingRun<TBatch> master, Func<TrainingRun<TBatch>> build, ScalarType dtype)
    {
        // Such an objective updates its own copy of those weights inside Compute, which would be the working copy's.
        if (master.AuxiliaryOptimizers is { Count: > 0 } auxiliary)
            throw new NotSupportedException($"precision {dtype}: this run's objective steps its own optimizer(s) " +
                $"({string.Join(", ", auxiliary.Keys)}), which cannot get fp32 master weights; train it in fp32");
        TrainingRun<TBatch> run;
        using (var rng = get_rng_state())
        {
            run = build();
            set_rng_state(rng);
        }
        // Only its model and objective are used; Module.to replaces (and frees) the parameters its optimizer holds.
        run.Optimizer.Dispose();
        (run.Evaluator as IDisposable)?.Dispose();
        run.Model.to(dtype);
        var masters = master.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        var copies = run.Model.named_parameters().ToList();
        if (copies.Count != masters.Count || copies.Any(c => !masters.TryGetValue(c.name, out var m) || !m.shape.SequenceEqual(c.parameter.shape)))
        {
            run.Model.Dispose();
            throw new InvalidOperationException("the run kind built two different models: the working copy's parameters do not match the master's by name and shape");
        }
        return new MixedPrecision<TBatch>(run, copies.Select(c => (masters[c.name], c.parameter)).ToList());
    }

    /// <summary>
    /// Adds the working copy's gradients, upcast, into the masters' and zeroes them (after each backward). A parameter
    /// that got no gradient keeps none, as in an fp32 run, so the optimizer skips it the same way.
    /// </summary>
    public void AccumulateGradients()
    {
        var started = Stopwatch.GetTimestamp();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        foreach (var (master, copy) in pairs)
        {
            var grad = copy.grad;
            if (grad is null) continue;
            var masterGrad = master.grad;
            if (masterGrad is null) master.grad = grad.to(master.dtype);
            else masterGrad.add_(grad, ScalarOperands.One);
            grad.zero_();
        }
        copyTicks += Stopwatch.GetTimestamp() - started;
    }

    /// <summary>Copies every master weight into the working copy, rounding to its dtype (after resume and after each step).</summary>
    public void CopyWeights()
    {
        var started = Stopwatch.GetTimestamp();
        using var noGrad = no_grad();
        foreach (var (master, copy) in pairs) copy.copy_(master);
        copyTicks += Stopwatch.GetTimestamp() - started;
    }

    /// <inheritdoc />
    public void Dispose() => working.Model.Dispose();
}
