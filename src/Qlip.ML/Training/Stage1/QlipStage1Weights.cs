namespace Qlip.ML.Training.Stage1;

/// <summary>Stage-1 loss weights (spec §4): α_r·L_mse + α_q·L_BSQ + α_a·L_align + α_z·commitment.</summary>
/// <param name="Reconstruction">α_r (paper 1e3; the calibration step sets α_r/α_a from probe plateaus).</param>
/// <param name="Quantizer">α_q, on the BSQ entropy term.</param>
/// <param name="Alignment">α_a, on the symmetric InfoNCE.</param>
/// <param name="Commitment">α_z, on the BSQ commitment term.</param>
public sealed record QlipStage1Weights(double Reconstruction = 1e3, double Quantizer = 1, double Alignment = 1, double Commitment = 1);
