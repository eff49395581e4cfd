using Qlip.ML.Configs;
using Qlip.ML.Imaging;
using Qlip.ML.Losses;
using Qlip.ML.Models;
using Qlip.ML.Native;
using Qlip.ML.Tests.Support;
using Qlip.ML.Tests.Training;
using Qlip.ML.Training.Optim;
using static TorchSharp.torch;

namespace Qlip.ML.Tests.Native;

/// <summary>
/// The stage-2 discriminator NaN: oneDNN's conv backward reads buffers it did not write, so NaN left in freed memory
/// leaks into gradients. Freeing NaN-filled tensors of many sizes before each step puts NaN where it looks; with oneDNN
/// every step's gradients turned NaN this way (50 of 50), with the reference kernels none may.
/// </summary>
[Collection(TorchGlobalStateCollection.Name)]
public sealed class LibTorchBackendsTests
{
    private const int Steps = 30;

    [Fact]
    public void Discriminator_gradients_stay_finite_when_freed_memory_held_NaN()
    {
        var threads = get_num_threads();
        set_num_threads(1);
        try
        {
            using (LibTorchBackends.ReferenceConvolutions())
            {
                Assert.False(LibTorchBackends.OneDnnEnabled);
                TrainDiscriminatorOnPoisonedHeap();
            }
            Assert.True(LibTorchBackends.OneDnnEnabled);  // back on for what else runs in the process (bf16 matmuls need it)
        }
        finally
        {
            set_num_threads(threads);
        }
    }


    [Fact]
    public void A_module_with_convolutions_turns_NNPACK_off_for_the_process()
    {
        using var embedding = new Qlip.ML.Nn.PatchEmbedding(QlipPresets.Load("tiny").Vision);
        Assert.False(LibTorchBackends.NnpackEnabled);  // else every conv on this CPU logs "Could not initialize NNPACK!"
    }

    private static void TrainDiscriminatorOnPoisonedHeap()
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        var imageSize = QlipPresets.Load("tiny").Vision.ImageSize;
        var images = new ImagePreprocessor(ImagePreprocessConfig.Clip(imageSize)).Preprocess(FashionBatch.Take(8).Images); // (8, 3, 32, 32)
        var (reals, fakes) = (images[..4], images[4..]);
        using var discriminator = new PatchDiscriminator(new PatchDiscriminatorConfig { BaseChannels = 16 }, imageSize);
        using var optimizer = new AdamWOptimizer(new ParameterGroupBuilder(1e-4, 0.05).Build(discriminator).Groups, 0.9, 0.95);

        for (var step = 0; step < Steps; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.ZeroGrad();
            FreeNaNFilledBuffers();
            AdversarialLoss.Discriminator(discriminator.call(reals), discriminator.call(fakes)).backward();
            foreach (var (name, p) in discriminator.named_parameters())
                Assert.True(p.grad!.isfinite().all().item<bool>(), $"step {step}: gradient of {name} is not finite");
            optimizer.Step();
        }
    }

    // Sizes grow by 25 % from 16 to 300k floats, covering every buffer the 32-pixel PatchGAN allocates.
    private static void FreeNaNFilledBuffers()
    {
        var buffers = new List<Tensor>();
        for (var n = 16; n < 300_000; n = n * 5 / 4 + 1) buffers.Add(full(n, float.NaN));
        foreach (var buffer in buffers) buffer.Dispose();
    }
}
