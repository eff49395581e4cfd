using TorchSharp;

namespace Qlip.ML.Training.Runs;

/// <summary>An evaluator that also draws figures for the final report.</summary>
public interface IReportingEvaluator : IEvaluator
{
    /// <summary>Figures of <paramref name="model"/>, called once at the end in eval mode under no_grad.</summary>
    IReadOnlyList<ReportFigure> Figures(torch.nn.Module model);
}
