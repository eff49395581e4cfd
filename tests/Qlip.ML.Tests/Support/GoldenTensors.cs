using Qlip.ML.Checkpoints;
using Qlip.Testing.Golden;

namespace Qlip.ML.Tests.Support;

/// <summary>Opens golden safetensors files by their path under <c>shared/golden</c>, without the extension.</summary>
public static class GoldenTensors
{
    /// <summary>Reads e.g. <c>bsq_quantizer/L28_group_beta0p0_rand</c> or <c>qlip_tiny/io</c>.</summary>
    public static SafetensorsFile Open(string name) => SafetensorsReader.Read(GoldenData.PathOf(name + ".safetensors"));
}
