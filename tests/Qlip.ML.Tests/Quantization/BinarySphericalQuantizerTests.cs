using Qlip.ML.Losses;
using Qlip.ML.Quantization;
using Qlip.ML.Tests.Support;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Quantization;

public class BinarySphericalQuantizerTests
{
    private static readonly BsqConfig Bits28 = new() { EmbedDim = 28, GroupSize = 4 };

    [Fact]
    public void Codes_round_trip_exactly_at_28_bits()
    {
        using var scope = NewDisposeScope();
        var quantizer = new BinarySphericalQuantizer(Bits28);
        var generator = new Random(28);
        var ids = new long[64];
        ids[0] = (1L << 28) - 1;
        ids[1] = 0;
        ids[2] = 1L << 27;
        for (var i = 3; i < ids.Length; i++) ids[i] = generator.NextInt64(1L << 24, 1L << 28) | (1L << 27); // high bits set
        var expected = tensor(ids).view(2, 32);

        var codes = quantizer.CodebookEntry(expected);      // (2, 32, 28)
        var roundTrip = quantizer.Indices(codes);

        TensorAssert.Equal(expected, roundTrip, "ids");
        Assert.Equal((1L << 28) - 1, roundTrip[0, 0].item<long>());
    }

    [Fact]
    public void Group_ids_concatenate_to_the_full_id_most_significant_group_first()
    {
        using var scope = NewDisposeScope();
        var quantizer = new BinarySphericalQuantizer(Bits28);
        var z = nn.functional.normalize(randn(3, 8, 28, generator: new Generator(1)), dim: -1);

        var ids = quantizer.Indices(z);
        var groups = quantizer.GroupIndices(z);                   // (3, 8, 7)
        var shifts = tensor(new long[] { 24, 20, 16, 12, 8, 4, 0 });
        var rebuilt = (groups * pow(2L, shifts)).sum(-1);

        TensorAssert.Equal(ids, rebuilt, "ids from group ids");
        Assert.True(groups.max().item<long>() < 16);
        TensorAssert.Close(quantizer.CodebookEntry(ids), quantizer.GroupCodebookEntry(groups), 0, name: "group decode");
    }

    [Fact]
    public void Sign_of_zero_is_minus_one()
    {
        using var scope = NewDisposeScope();
        var quantizer = new BinarySphericalQuantizer(Bits28);
        var z = zeros(1, 2, 28);
        z[0, 1, 0] = tensor(1e-30f); // only dimension 0 positive → the MSB

        var output = quantizer.call(z);

        Assert.Equal(0L, output.Indices[0, 0].item<long>());
        Assert.Equal(1L << 27, output.Indices[0, 1].item<long>());
        TensorAssert.Close(full(28, -1 / Math.Sqrt(28)), output.Quantized[0, 0], 1e-7, name: "zq of a zero token");
    }

    [Fact]
    public void Quantized_tokens_lie_on_the_unit_sphere_and_decode_from_their_ids()
    {
        using var scope = NewDisposeScope();
        var quantizer = new BinarySphericalQuantizer(Bits28);
        var z = nn.functional.normalize(randn(4, 16, 28, generator: new Generator(2)), dim: -1);

        var output = quantizer.call(z);

        TensorAssert.Close(ones(4, 16), output.Quantized.norm(-1), 1e-6, name: "‖zq‖");
        TensorAssert.Close(output.Quantized, quantizer.CodebookEntry(output.Indices), 0, name: "decode(ids)");
    }

    [Fact]
    public void Straight_through_gradient_is_the_code_scale()
    {
        using var scope = NewDisposeScope();
        var quantizer = new BinarySphericalQuantizer(Bits28);
        var z = nn.functional.normalize(randn(2, 5, 28, generator: new Generator(3)), dim: -1).requires_grad_(true);
        var w = randn(2, 5, 28, generator: new Generator(4));

        var zq = quantizer.call(z).Quantized;
        var grad = autograd.grad([(zq * w).sum()], [z])[0];

        TensorAssert.Close(w / Math.Sqrt(28), grad, 1e-7, name: "dzq/dz·w");
    }

    [Theory]
    [InlineData(8, 1.0)]
    [InlineData(12, 3.0)]
    public void Group_entropy_with_one_group_equals_the_exact_entropy_over_all_codes(int bits, double invTemperature)
    {
        using var scope = NewDisposeScope();
        var quantizer = new BinarySphericalQuantizer(new BsqConfig
        {
            EmbedDim = bits, GroupSize = bits, InvTemperature = invTemperature, PersampleEntropyCompute = "group",
        });
        var z = nn.functional.normalize(randn(2, 6, bits, ScalarType.Float64, generator: new Generator((ulong)bits)), dim: -1);

        var output = quantizer.call(z.to_type(ScalarType.Float32));
        var (perSample, codebook) = BruteForceEntropy(z.data<double>().ToArray(), bits, invTemperature);

        Assert.Equal(perSample, output.PerSampleEntropy.item<float>(), 1e-4);
        Assert.Equal(codebook, output.CodebookEntropy.item<float>(), 1e-4);
    }

    [Fact]
    public void Analytical_entropy_equals_group_entropy_with_group_size_one()
    {
        using var scope = NewDisposeScope();
        var z = nn.functional.normalize(randn(3, 10, 16, generator: new Generator(5)), dim: -1);
        var analytical = new BinarySphericalQuantizer(new BsqConfig { EmbedDim = 16, GroupSize = 4, InvTemperature = 2 }).call(z);
        var group = new BinarySphericalQuantizer(new BsqConfig
        {
            EmbedDim = 16, GroupSize = 1, InvTemperature = 2, PersampleEntropyCompute = "group",
        }).call(z);

        TensorAssert.Close(group.PerSampleEntropy, analytical.PerSampleEntropy, 1e-5, name: "H_ps");
        TensorAssert.Close(group.CodebookEntropy, analytical.CodebookEntropy, 1e-5, name: "H_cb");
    }

    [Fact]
    public void Ids_outside_the_codebook_are_rejected()
    {
        using var scope = NewDisposeScope();
        var quantizer = new BinarySphericalQuantizer(Bits28);
        var e = Assert.Throws<ArgumentException>(() => quantizer.CodebookEntry(tensor(new[] { 1L << 28 })));
        Assert.Contains("2^28", e.Message);
        Assert.Throws<ArgumentException>(() => quantizer.GroupCodebookEntry(tensor(new[] { 16L, 0, 0, 0, 0, 0, 0 })));
    }

    [Fact]
    public void Usage_counts_distinct_codes()
    {
        using var scope = NewDisposeScope();
        var quantizer = new BinarySphericalQuantizer(new BsqConfig { EmbedDim = 8, GroupSize = 4 });
        var ids = tensor(new long[] { 0, 0, 255, 17 });

        Assert.Equal(3 / 256.0, quantizer.CodebookUsage(ids), 12);
        var groupIds = tensor(new long[] { 0, 0, 15, 15, 1, 1 }).view(3, 2);
        TensorAssert.Close(tensor(new[] { 3 / 16f, 3 / 16f }), quantizer.GroupUsage(groupIds), 0, name: "group usage");
    }

    // Every one of the 2^L codes, softmax of 2τ⟨z, c⟩ in double, entropies with the reference's ε inside.
    private static (double PerSample, double Codebook) BruteForceEntropy(double[] z, int bits, double tau)
    {
        const double eps = 1e-8;
        var codes = 1 << bits;
        var tokens = z.Length / bits;
        var mean = new double[codes];
        var perSample = 0.0;
        for (var t = 0; t < tokens; t++)
        {
            var logits = new double[codes];
            for (var d = 0; d < codes; d++)
            {
                var dot = 0.0;
                for (var j = 0; j < bits; j++) dot += z[t * bits + j] * (((d >> (bits - 1 - j)) & 1) == 1 ? 1 : -1);
                logits[d] = 2 * tau * dot / Math.Sqrt(bits);
            }
            var max = logits.Max();
            var sum = logits.Sum(l => Math.Exp(l - max));
            for (var d = 0; d < codes; d++)
            {
                var q = Math.Exp(logits[d] - max) / sum;
                perSample += Entr(q + eps) / tokens;
                mean[d] += q / tokens;
            }
        }
        return (perSample, mean.Sum(q => Entr(q + eps)));

        static double Entr(double x) => -x * Math.Log(x);
    }
}
