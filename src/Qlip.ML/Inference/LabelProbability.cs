namespace Qlip.ML.Inference;

/// <summary>One zero-shot candidate: the label, its index in the label list and its softmax probability.</summary>
public sealed record LabelProbability(string Label, int Index, double Probability);
