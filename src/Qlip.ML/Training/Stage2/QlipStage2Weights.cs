namespace Qlip.ML.Training.Stage2;

/// <summary>Stage-2 loss weights (spec §4, paper Table 8): α_r'·L_mse + α_q'·L_BSQ + α_p'·L_perceptual + α_g'·L_GAN.</summary>
/// <param name="Reconstruction">α_r'.</param>
/// <param name="Quantizer">α_q', on the quantizer's whole loss (entropy terms and commitment).</param>
/// <param name="Perceptual">α_p', on LPIPS or its fallback.</param>
/// <param name="Adversarial">α_g', on the generator's non-saturating GAN loss.</param>
public sealed record QlipStage2Weights(double Reconstruction = 1, double Quantizer = 1, double Perceptual = 0.1, double Adversarial = 0.1);
