namespace Qlip.ML.Training.Runs;

/// <summary>Where a run's report, plots and other files go: a local folder, or <c>runs/{run}/</c> in blob storage.</summary>
public interface IRunArtifacts
{
    /// <summary>Writes (or overwrites) the file <paramref name="name"/>, e.g. <c>report.md</c> or <c>plots/loss_curves.png</c>.</summary>
    Task WriteAsync(string name, byte[] content, CancellationToken cancellationToken);
}
