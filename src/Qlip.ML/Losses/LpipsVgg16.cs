using Qlip.ML.Native;
using Qlip.ML.Checkpoints;
using Qlip.ML.Imaging;
using Qlip.ML.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Qlip.ML.Losses;

/// <summary>
/// LPIPS with a VGG16 trunk (Zhang et al. 2018; reference <c>lpips/lpips.py</c> <c>LPIPS(net='vgg')</c> and
/// <c>lpips/pretrained_networks.py</c> <c>vgg16</c>): the five relu{1_2,2_2,3_3,4_3,5_3} feature maps of x and x̂ are
/// unit-normalized over channels, their squared difference is weighted per channel by a 1×1 conv (the learned linear
/// heads) and averaged over space, and the five layers are summed. Parameter names are the reference's:
/// <c>net.slice{1..5}.{i}.weight|bias</c> with i the index in torchvision's <c>vgg16.features</c>, and
/// <c>lin{0..4}.model.1.weight</c>. It has no weights of its own: <see cref="Load"/> reads them from a file, and the
/// network stays frozen in eval mode.
/// Gradients into x̂ must run inside <see cref="Native.LibTorchBackends.ReferenceConvolutions"/> (oneDNN's conv
/// backward-data can turn them NaN), as a stage-2 run does.
/// </summary>
public sealed class LpipsVgg16 : nn.Module<Tensor, Tensor, Tensor>, IPerceptualLoss
{
    // relu1_2 … relu5_3: (output channels, convs) per slice of vgg16.features.
    private static readonly (int Channels, int Convs)[] Slices = [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)];

    // The reference ScalingLayer maps [-1, 1] inputs to ImageNet statistics: (x − shift) / scale.
    private static readonly float[] Shift = [-0.030f, -0.088f, -0.188f];
    private static readonly float[] Scale = [0.458f, 0.448f, 0.450f];

    private readonly DerivedTensor input_gain;   // (1, 3, 1, 1): CLIP-normalized → ScalingLayer output, one affine map
    private readonly DerivedTensor input_bias;   // (1, 3, 1, 1)
    private readonly Sequential net;
    private readonly Sequential lin0;
    private readonly Sequential lin1;
    private readonly Sequential lin2;
    private readonly Sequential lin3;
    private readonly Sequential lin4;
    private readonly Sequential[] slices;
    private readonly Sequential[] lins;

    private LpipsVgg16(string source) : base(nameof(LpipsVgg16))
    {
        Description = Describe(source);
        var (gain, bias) = InputAffine();
        input_gain = new DerivedTensor(gain);
        input_bias = new DerivedTensor(bias);
        var (index, inChannels) = (0, 3);
        slices = new Sequential[Slices.Length];
        for (var s = 0; s < Slices.Length; s++)
        {
            var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
            if (s > 0) layers.Add(($"{index++}", nn.MaxPool2d(2, 2)));
            for (var c = 0; c < Slices[s].Convs; c++)
            {
                layers.Add(($"{index++}", nn.Conv2d(inChannels, Slices[s].Channels, 3, padding: 1)));
                layers.Add(($"{index++}", nn.ReLU()));
                inChannels = Slices[s].Channels;
            }
            slices[s] = nn.Sequential(layers);
        }
        net = nn.Sequential(slices.Select((slice, s) => ($"slice{s + 1}", (nn.Module<Tensor, Tensor>)slice)).ToList());
        lins = Slices.Select(s => nn.Sequential(("model", nn.Sequential(
            ("0", (nn.Module<Tensor, Tensor>)nn.Dropout()), ("1", nn.Conv2d(s.Channels, 1, 1, bias: false)))))).ToArray();
        (lin0, lin1, lin2, lin3, lin4) = (lins[0], lins[1], lins[2], lins[3], lins[4]);
        RegisterComponents();
    }

    /// <inheritdoc />
    public string Description { get; }

    // NNPACK fails to initialize on CPUs without its instruction set and then logs on every conv (LibTorchBackends).
    static LpipsVgg16() => LibTorchBackends.DisableNnpack();

    /// <summary>The report's description of LPIPS with weights from <paramref name="path"/>.</summary>
    public static string Describe(string path) => $"LPIPS-VGG16 (weights from {Path.GetFileName(path)})";

    /// <summary>
    /// Builds the network and loads <paramref name="path"/> (safetensors, the reference names above; the reference's
    /// <c>scaling_layer.shift|scale</c> buffers may be present and are constants here). The result is frozen and in eval mode.
    /// </summary>
    /// <exception cref="InvalidDataException">A tensor is missing, unexpected or has the wrong shape; the message names the file and the tensors.</exception>
    public static LpipsVgg16 Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"LPIPS weights file '{path}' does not exist", path);
        var lpips = new LpipsVgg16(path);
        try
        {
            using var file = SafetensorsReader.Read(path);
            var report = QlipCheckpoint.LoadWeights(lpips, file, strict: false);
            var unexpected = report.Unexpected.Where(n => !n.StartsWith("scaling_layer.", StringComparison.Ordinal)).ToList();
            if (report.Missing.Count > 0 || unexpected.Count > 0)
                throw new InvalidDataException($"LPIPS weights '{path}' do not match LPIPS-VGG16: missing [{string.Join(", ", report.Missing)}], " +
                    $"unexpected [{string.Join(", ", unexpected)}]");
        }
        catch
        {
            lpips.Dispose();
            throw;
        }
        foreach (var p in lpips.parameters()) p.requires_grad = false;
        lpips.eval();
        return lpips;
    }

    /// <inheritdoc />
    public Tensor Compute(Tensor reconstruction, Tensor target) => call(reconstruction, target).mean();

    /// <summary>Per-image LPIPS distance (B) between two (B, 3, H, W) batches of CLIP-normalized images.</summary>
    public override Tensor forward(Tensor x0, Tensor x1)
    {
        var h0 = (x0 * input_gain.Like(x0)).Plus(input_bias.Like(x0));   // (B, 3, H, W), ScalingLayer space
        var h1 = (x1 * input_gain.Like(x1)).Plus(input_bias.Like(x1));
        Tensor? total = null;
        for (var s = 0; s < slices.Length; s++)
        {
            h0 = slices[s].call(h0);                                   // (B, C_s, H/2^s, W/2^s)
            h1 = slices[s].call(h1);
            var diff = (UnitNormalize(h0) - UnitNormalize(h1)).Squared();
            var layer = lins[s].call(diff).mean([1, 2, 3]);            // (B): 1×1 conv to one channel, spatial mean
            total = total is null ? layer : total.Plus(layer);
        }
        return total!;                                                 // (B)
    }

    // lpips.normalize_tensor: x / (‖x‖₂ over channels + 1e-10).
    // The 1e-20 under the root keeps the gradient finite where a position's features are all zero (every ReLU off):
    // d√s/ds is infinite at s = 0 and 0·∞ made the stage-2 generator's gradients NaN; the value moves by < 1e-10.
    private static Tensor UnitNormalize(Tensor x) => x / x.Squared().sum(1, keepdim: true).Plus(1e-20).sqrt().Plus(1e-10);

    // in = 2·(x·std + mean) − 1, then (in − shift)/scale = x·(2·std/scale) + (2·mean − 1 − shift)/scale.
    private static (Tensor Gain, Tensor Bias) InputAffine()
    {
        var (mean, std) = (ImagePreprocessConfig.ClipMean, ImagePreprocessConfig.ClipStd);
        var gain = Enumerable.Range(0, 3).Select(c => 2 * std[c] / Scale[c]).ToArray();
        var bias = Enumerable.Range(0, 3).Select(c => (2 * mean[c] - 1 - Shift[c]) / Scale[c]).ToArray();
        return (tensor(gain).view(1, 3, 1, 1), tensor(bias).view(1, 3, 1, 1));
    }
}
