using Qlip.ML.Checkpoints;

namespace Qlip.ML.Training.Stage2;

/// <summary>The stage-1 weights a stage-2 run starts from.</summary>
/// <param name="Source">What they are, for errors and the report (e.g. <c>run fm-s1, checkpoint step 300</c>).</param>
/// <param name="Open">Reads the weights; the caller disposes the file.</param>
public sealed record InitWeights(string Source, Func<SafetensorsFile> Open);
