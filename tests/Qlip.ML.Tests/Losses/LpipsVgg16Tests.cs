using Qlip.ML.Losses;
using Qlip.ML.Native;
using Qlip.ML.Tests.Training;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Losses;

/// <summary>LPIPS-VGG16 loads the official parameter names from a safetensors file and measures real images.</summary>
public sealed class LpipsVgg16Tests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("qlip-lpips-").FullName;

    // Fashion-MNIST test images as CLIP-normalized (B, 3, 32, 32), like the model sees them.
    private static Tensor Images(int start, int count)
    {
        var (images, _) = FashionMnistTestData.Slice(train: false, start, count);
        var rgb = nn.functional.pad(images.div(tensor(255f)), [2, 2, 2, 2]).expand(-1, 3, -1, -1);
        var mean = tensor(new[] { 0.48145466f, 0.4578275f, 0.40821073f }).view(1, 3, 1, 1);
        var std = tensor(new[] { 0.26862954f, 0.26130258f, 0.27577711f }).view(1, 3, 1, 1);
        return ((rgb - mean) / std).contiguous();
    }

    [Fact]
    public void Loads_the_official_names_and_measures_zero_for_identical_images_and_more_for_more_noise()
    {
        var path = Path.Combine(root, "lpips_vgg.safetensors");
        LpipsWeightsFile.Write(path);
        using var lpips = LpipsVgg16.Load(path);
        using var scope = NewDisposeScope();
        Assert.Equal("LPIPS-VGG16 (weights from lpips_vgg.safetensors)", lpips.Description);
        Assert.All(lpips.parameters(), p => Assert.False(p.requires_grad));
        Assert.Equal(13 * 2 + 5, lpips.parameters().Count());

        manual_seed(1);
        var x = Images(0, 4);
        var noise = randn_like(x);
        Assert.Equal(0f, lpips.Compute(x, x).item<float>());
        var slight = lpips.Compute(x + noise.mul(tensor(0.05f)), x).item<float>();
        var strong = lpips.Compute(x + noise.mul(tensor(0.5f)), x).item<float>();
        Assert.True(slight > 0 && strong > slight, $"slight {slight}, strong {strong}");
        var other = lpips.Compute(Images(4, 4), x).item<float>();
        Assert.True(other > slight, $"other images {other} vs slight noise {slight}");

        var reconstruction = (x + noise.mul(tensor(0.1f))).requires_grad_(true);
        using (LibTorchBackends.ReferenceConvolutions())  // gradients into conv inputs, as stage 2 trains them
            lpips.Compute(reconstruction, x).backward();
        Assert.True(reconstruction.grad!.abs().sum().item<float>() > 0);
        Assert.True(isfinite(reconstruction.grad).all().item<bool>());
    }

    [Fact]
    public void A_wrong_parameter_name_fails_naming_the_file_and_both_names()
    {
        var path = Path.Combine(root, "renamed.safetensors");
        LpipsWeightsFile.Write(path, name => name == "lin4.model.1.weight" ? "lin4.model.0.weight" : name);
        var error = Assert.Throws<InvalidDataException>(() => LpipsVgg16.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("missing [lin4.model.1.weight]", error.Message, StringComparison.Ordinal);
        Assert.Contains("unexpected [lin4.model.0.weight]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_an_error_naming_it()
    {
        var path = Path.Combine(root, "absent.safetensors");
        Assert.Contains(path, Assert.Throws<FileNotFoundException>(() => LpipsVgg16.Load(path)).Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
