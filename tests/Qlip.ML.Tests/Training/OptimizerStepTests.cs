using Qlip.ML.Checkpoints;
using Qlip.ML.Training.Optim;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Training;

/// <summary>
/// LAMB and AdamW on f(w) = (w1 − 3)² + 2(w2 + 1)², whose gradient is (2(w1 − 3), 4(w2 + 1)). The expected values are
/// computed here in double precision from the papers' update rules, independently of the optimizer code.
/// </summary>
public class OptimizerStepTests
{
    private const double Lr = 0.1, Wd = 0.1, B1 = 0.9, B2 = 0.95, Eps = 1e-6;
    private static readonly double[] Start = [1.0, 2.0];

    [Fact]
    public void Lamb_two_steps_match_the_definition()
    {
        var expected = Reference(Start, 2, (w, r) =>
        {
            var trust = Norm(w) > 0 && Norm(r) > 0 ? Norm(w) / Norm(r) : 1.0;
            return [w[0] - Lr * trust * r[0], w[1] - Lr * trust * r[1]];
        }, lamb: true);
        var actual = Run(groups => new LambOptimizer(groups, B1, B2, Eps), Start, 2);
        AssertClose(expected, actual);
    }

    [Fact]
    public void AdamW_two_steps_match_the_definition()
    {
        var expected = Reference(Start, 2, (w, update) => [w[0] - Lr * update[0], w[1] - Lr * update[1]], lamb: false);
        var actual = Run(groups => new AdamWOptimizer(groups, B1, B2, Eps), Start, 2);
        AssertClose(expected, actual);
    }

    [Fact]
    public void Lamb_uses_trust_ratio_one_for_a_zero_weight()
    {
        double[] zero = [0.0, 0.0];
        var expected = Reference(zero, 1, (w, r) => [w[0] - Lr * r[0], w[1] - Lr * r[1]], lamb: true);
        var actual = Run(groups => new LambOptimizer(groups, B1, B2, Eps), zero, 1);
        AssertClose(expected, actual);
        Assert.True(Math.Abs(actual[0]) > 0.09, "a zero-initialised tensor must still move (ratio 1, not 0/0)");
    }

    [Fact]
    public void Optimizer_state_round_trips_and_the_next_step_is_bit_identical()
    {
        using var a = new Parameter(tensor(new float[] { 1, 2 }));
        using var b = new Parameter(tensor(new float[] { 1, 2 }));
        using var optA = new LambOptimizer([Group(a)], B1, B2, Eps);
        using var optB = new LambOptimizer([Group(b)], B1, B2, Eps);
        StepOnce(optA, a);
        StepOnce(optA, a);
        using (no_grad()) b.copy_(a);

        var saved = new MemoryStream();
        SafetensorsWriter.Write(saved, optA.StateDict());
        saved.Position = 0;
        using var loaded = SafetensorsReader.Read(saved, "optimizer state");
        optB.LoadStateDict(loaded.Tensors);
        Assert.Equal(2, loaded["w/step"].item<long>());

        StepOnce(optA, a);
        StepOnce(optB, b);
        Assert.Equal(a.data<float>().ToArray(), b.data<float>().ToArray());
    }

    [Fact]
    public void Loading_state_for_an_unknown_parameter_names_it()
    {
        using var p = new Parameter(tensor(new float[] { 1, 2 }));
        using var opt = new AdamWOptimizer([Group(p)]);
        var bad = new Dictionary<string, Tensor> { ["other.weight/exp_avg"] = zeros(2) };
        var ex = Assert.Throws<InvalidDataException>(() => { opt.LoadStateDict(bad); });
        Assert.Contains("other.weight", ex.Message);
    }

    private static ParameterGroup Group(Parameter p) => new("all", [new NamedParameter("w", p)], Lr, Wd);

    private static void StepOnce(GroupedOptimizer opt, Parameter w)
    {
        using var scope = NewDisposeScope();
        Loss(w).backward();
        opt.Step();
        opt.ZeroGrad();
    }

    private static Tensor Loss(Tensor w)
    {
        using var target = tensor(new float[] { 3, -1 });
        using var weight = tensor(new float[] { 1, 2 });
        return ((w - target).square() * weight).sum();
    }

    private static double[] Run(Func<IReadOnlyList<ParameterGroup>, GroupedOptimizer> create, double[] start, int steps)
    {
        using var w = new Parameter(tensor(start.Select(x => (float)x).ToArray()));
        using var opt = create([Group(w)]);
        for (var i = 0; i < steps; i++) StepOnce(opt, w);
        return w.data<float>().ToArray().Select(x => (double)x).ToArray();
    }

    /// <summary>
    /// Adam moments with bias correction; for LAMB, <paramref name="apply"/> gets r = m̂/(√v̂+ε) + λw; for AdamW it
    /// gets the Adam direction after w was decayed by (1 − lr·λ).
    /// </summary>
    private static double[] Reference(double[] start, int steps, Func<double[], double[], double[]> apply, bool lamb)
    {
        var w = (double[])start.Clone();
        double[] m = [0, 0], v = [0, 0];
        for (var t = 1; t <= steps; t++)
        {
            double[] g = [2 * (w[0] - 3), 4 * (w[1] + 1)];
            var direction = new double[2];
            for (var i = 0; i < 2; i++)
            {
                m[i] = B1 * m[i] + (1 - B1) * g[i];
                v[i] = B2 * v[i] + (1 - B2) * g[i] * g[i];
                var mHat = m[i] / (1 - Math.Pow(B1, t));
                var vHat = v[i] / (1 - Math.Pow(B2, t));
                direction[i] = mHat / (Math.Sqrt(vHat) + Eps) + (lamb ? Wd * w[i] : 0);
            }
            if (!lamb) w = [w[0] * (1 - Lr * Wd), w[1] * (1 - Lr * Wd)];
            w = apply(w, direction);
        }
        return w;
    }

    private static double Norm(double[] x) => Math.Sqrt(x.Sum(v => v * v));

    private static void AssertClose(double[] expected, double[] actual)
    {
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-5, $"w[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
    }
}
