using Qlip.ML.Losses;
using Qlip.ML.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace Qlip.ML.Quantization;

/// <summary>
/// Binary Spherical Quantization (spec §3; reference <c>QLIP/bsq.py</c>, <c>BinarySphericalQuantizer</c>):
/// ẑ = sign(z) with sign(0) = −1, straight-through, scaled by 1/√L onto the sphere; int64 ids with dimension 0 as
/// the most significant bit (the reference's float32 packing corrupts ids ≥ 2^24, so it is not copied).
/// No parameters and no persistent buffers.
/// </summary>
public sealed class BinarySphericalQuantizer : nn.Module<Tensor, BsqOutput>
{
    private readonly DerivedTensor group_codebook; // (2^c, c) ±codeScale, row d = bits of d MSB first

    private readonly BsqConfig config;

    /// <summary>Builds the bit bases and the group codebook for <paramref name="config"/>.</summary>
    public BinarySphericalQuantizer(BsqConfig config) : base(nameof(BinarySphericalQuantizer))
    {
        foreach (var problem in config.Problems("quantizer_cfg")) throw new ArgumentException(problem, nameof(config));
        this.config = config;
        // 1/√L in double, then multiplied: dividing by fp32(√L) lands 1 ulp away from the reference.
        CodeScale = config.L2Norm ? 1.0 / Math.Sqrt(config.EmbedDim) : 1.0;
        var codes = ScalarOperands.Range(1L << config.GroupSize).unsqueeze(-1);
        group_codebook = new DerivedTensor(BitsToCodes(codes, PowersOfTwo(config.GroupSize, codes.device)).Times(CodeScale));
        RegisterComponents();
    }

    /// <summary>Bits per token L.</summary>
    public int Bits => config.EmbedDim;

    /// <summary>The magnitude of every code coordinate: 1/√L (or 1 without l2_norm).</summary>
    public double CodeScale { get; }

    /// <summary>Quantizes <paramref name="z"/> (B, N, L), normally L2-normalized, and computes the loss terms.</summary>
    public override BsqOutput forward(Tensor z)
    {
        var zhat = Sign(z);                                  // (B, N, L) ±1
        var zq = z.Plus((zhat - z).detach()).Times(CodeScale);     // straight-through: dzq/dz = CodeScale·I
        // The loss terms are softmaxes, entropies and means: fp32 whatever the compute dtype (a bf16 working copy).
        var z32 = z.to_type(ScalarType.Float32);
        var entropy = config.PersampleEntropyCompute == "group"
            ? BsqEntropyLoss.Group(z32, group_codebook.Like(z32), config.InvTemperature)
            : BsqEntropyLoss.Analytical(z32, config.InvTemperature, CodeScale);
        var commitment = CommitmentLoss.Compute(zq, z32, config.Beta);
        var loss = commitment.Plus((entropy.PerSample.Times(config.Gamma0) - entropy.Codebook.Times(config.Gamma1)).Over(config.InvTemperature));
        return new BsqOutput(zq, Indices(z), GroupIndices(z), loss, commitment, entropy.PerSample, entropy.Codebook);
    }

    /// <summary>The int64 id of each token of <paramref name="z"/> (…, L): Σ_j bit_j·2^(L−1−j), bit_j = z_j &gt; 0.</summary>
    public Tensor Indices(Tensor z) =>
        z.IsPositive().to_type(ScalarType.Int64).mul(PowersOfTwo(Bits, z.device)).sum(-1); // (…)

    /// <summary>The id of each c-bit group of <paramref name="z"/> (…, L) → (…, G), MSB first.</summary>
    public Tensor GroupIndices(Tensor z)
    {
        var bits = z.IsPositive().to_type(ScalarType.Int64).unflatten(z.dim() - 1, [config.Groups, config.GroupSize]); // (…, G, c)
        return bits.mul(PowersOfTwo(config.GroupSize, z.device)).sum(-1);                                                       // (…, G)
    }

    /// <summary>The codes (…, L) of <paramref name="ids"/> (…): bit_j = (id &gt;&gt; (L−1−j)) &amp; 1, code = (2·bit − 1)·scale.</summary>
    /// <exception cref="ArgumentException">An id is outside [0, 2^L).</exception>
    public Tensor CodebookEntry(Tensor ids)
    {
        CheckRange(ids, Bits, "id");
        return BitsToCodes(ids.unsqueeze(-1), PowersOfTwo(Bits, ids.device)).Times(CodeScale);
    }

    /// <summary>The codes (…, L) of group ids (…, G), the groups concatenated in order.</summary>
    /// <exception cref="ArgumentException">A group id is outside [0, 2^c).</exception>
    public Tensor GroupCodebookEntry(Tensor groupIds)
    {
        CheckRange(groupIds, config.GroupSize, "group id");
        var codes = BitsToCodes(groupIds.unsqueeze(-1), PowersOfTwo(config.GroupSize, groupIds.device)); // (…, G, c)
        return codes.flatten(-2).Times(CodeScale);                                                      // (…, G·c)
    }

    /// <summary>Per group, the fraction of its 2^c codes used by <paramref name="groupIds"/> (…, G) → (G).</summary>
    public Tensor GroupUsage(Tensor groupIds)
    {
        var size = 1L << config.GroupSize;
        var offsets = ScalarOperands.Range(config.Groups, groupIds.device).Times(size);
        var counts = groupIds.reshape(-1, config.Groups).Plus(offsets).flatten().bincount(null, config.Groups * size);
        return counts.view(config.Groups, size).IsPositive().to_type(ScalarType.Float32).mean([1]);
    }

    /// <summary>Distinct ids in <paramref name="ids"/> divided by the codebook size 2^L.</summary>
    public double CodebookUsage(Tensor ids)
    {
        var (unique, _, _) = ids.flatten().unique();
        return unique.shape[0] / Math.Pow(2, Bits);
    }

    private static Tensor Sign(Tensor z) => z.IsPositive().to_type(z.dtype).Times(2L).Minus(1);

    // Made per call rather than kept as buffers: Module.to(dtype) converts every tensor field, int64 ones too.
    private static Tensor PowersOfTwo(int bits, Device device) =>
        tensor(Enumerable.Range(0, bits).Select(j => 1L << (bits - 1 - j)).ToArray(), device: device); // MSB first

    // ids (…, 1) against a basis (k) of powers of two → codes ±1 (…, k) in fp32.
    private static Tensor BitsToCodes(Tensor ids, Tensor powers) =>
        ids.div(powers, RoundingMode.floor).Modulo(2).to_type(ScalarType.Float32).Times(2L).Minus(1);

    private static void CheckRange(Tensor ids, int bits, string what)
    {
        if (ids.numel() == 0) return;
        var min = ids.min().item<long>();
        var max = ids.max().item<long>();
        if (min < 0 || max >= 1L << bits)
            throw new ArgumentException($"{what}s must be in [0, 2^{bits}); got values in [{min}, {max}]");
    }
}
