namespace Qlip.ML.Training.Runs;

/// <summary>A PNG a run kind adds to its report (e.g. originals vs reconstructions).</summary>
/// <param name="Name">File name under <c>plots/</c>, e.g. <c>recon_test.png</c>.</param>
/// <param name="Title">Caption in report.md.</param>
/// <param name="Png">The image.</param>
public sealed record ReportFigure(string Name, string Title, byte[] Png);
