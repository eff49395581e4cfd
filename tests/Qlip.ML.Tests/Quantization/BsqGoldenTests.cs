using System.Text.Json;
using Qlip.ML.Quantization;
using Qlip.ML.Tests.Support;
using Qlip.Testing.Golden;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Quantization;

/// <summary>The quantizer against NVlabs/QLIP's bsq.py outputs (golden README §2), with its suggested tolerances.</summary>
public class BsqGoldenTests
{
    public static TheoryData<string> Cases()
    {
        var cases = new TheoryData<string>();
        foreach (var bits in new[] { 28, 16 })
        foreach (var mode in new[] { "group", "analytical" })
        foreach (var beta in new[] { "0p0", "0p25" })
        foreach (var input in new[] { "rand", "zeros" })
            cases.Add($"L{bits}_{mode}_beta{beta}_{input}");
        cases.Add("L28_group_beta0p0_rand_invT1");
        cases.Add("L28_analytical_beta0p0_rand_invT1");
        return cases;
    }

    [GoldenTheory]
    [MemberData(nameof(Cases))]
    public void Matches_the_reference_quantizer(string name)
    {
        using var scope = NewDisposeScope();
        using var golden = GoldenTensors.Open("bsq_quantizer/" + name);
        var config = ReadConfig(name);
        var quantizer = new BinarySphericalQuantizer(config);
        var z = golden["z"].clone().requires_grad_(true);

        var output = quantizer.call(z);

        TensorAssert.Equal(golden["indices"], output.Indices, "indices");
        TensorAssert.Equal(golden["group_indices"], output.GroupIndices, "group_indices");
        TensorAssert.Close(golden["zq"], output.Quantized, 1e-7, name: "zq");
        TensorAssert.Close(golden["cb_entropy"], output.CodebookEntropy, 1e-5, name: "cb_entropy");
        TensorAssert.Close(golden["persample_entropy"], output.PerSampleEntropy, 1e-5, name: "persample_entropy");
        TensorAssert.Close(golden["commit_loss"], output.Commitment, 1e-7, name: "commit_loss");
        TensorAssert.Close(golden["loss"], output.Loss, config.InvTemperature >= 100 ? 1e-6 : 5e-6, name: "loss");
        TensorAssert.Close(golden["codebook_entry_from_indices"], quantizer.CodebookEntry(golden["indices"]), 1e-7,
            name: "codebook_entry_from_indices");
        TensorAssert.Close(golden["group_codebook_entry"], quantizer.GroupCodebookEntry(golden["group_indices"]), 1e-7,
            name: "group_codebook_entry");

        var lossOnlyGrad = autograd.grad([output.Loss], [z], retain_graph: true)[0];
        TensorAssert.Close(golden["grad_z_loss_only"], lossOnlyGrad, 1e-6, name: "grad_z_loss_only");
        var total = output.Loss + (output.Quantized * golden["w"]).sum();
        var grad = autograd.grad([total], [z])[0];
        TensorAssert.Close(golden["grad_z"], grad, 1e-6, name: "grad_z");
    }

    private static BsqConfig ReadConfig(string name)
    {
        using var sidecar = JsonDocument.Parse(File.ReadAllText(GoldenData.PathOf($"bsq_quantizer/{name}.json")));
        return sidecar.RootElement.GetProperty("quantizer_cfg").Deserialize<BsqConfig>()!;
    }
}
