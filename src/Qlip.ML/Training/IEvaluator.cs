using TorchSharp;

namespace Qlip.ML.Training;

/// <summary>Periodic evaluation of a run (zero-shot accuracy, PSNR/SSIM, codebook usage…), called in eval mode under no_grad.</summary>
public interface IEvaluator
{
    /// <summary>Named metric values for the model at <paramref name="step"/>; written as an <c>eval</c> metrics row.</summary>
    IReadOnlyDictionary<string, double> Evaluate(torch.nn.Module model, long step, CancellationToken cancellationToken);
}
