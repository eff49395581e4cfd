using System.Globalization;
using System.Text.Json;
using Qlip.ML.Reporting;
using Qlip.ML.Training.Metrics;
using Qlip.ML.Training.Runs;

namespace Qlip.ML.Training.Stage1;

/// <summary>
/// Stage-1 loss balancing (spec §4, the paper's post-hoc rule α_r/α_a ≈ L_align(∞)/L_mse(∞)) from two short probe runs
/// that start from the run's own initialization and data order: reconstruction-only (α_a = 0, the configured α_r, α_q,
/// α_z) and alignment-only (α_r = α_q = α_z = 0). A probe's plateau is the mean of its per-step loss over the last
/// <see cref="PlateauFraction"/> of its steps (its cosine schedule has decayed the lr by then, so what is left is mostly
/// batch noise, which the mean averages out). α_a stays as configured and α_r = α_a · plateau(L_align) / plateau(L_mse):
/// both weighted terms are equal at their plateaus. The rule balances reconstruction against alignment, so the BSQ
/// weights α_q and α_z are scaled by the same factor as α_r: the reconstruction part of the objective keeps the
/// proportions the reconstruction probe trained with (rescaling α_r alone made the entropy and commitment terms ~200×
/// heavier relative to the MSE and collapsed the codebook, docs/training.md). Everything derived is computed from the
/// recorded curves, so the record is the evidence.
/// </summary>
/// <param name="ReconCurve">The reconstruction-only probe's unweighted MSE by step.</param>
/// <param name="AlignCurve">The alignment-only probe's InfoNCE by step.</param>
/// <param name="Configured">The configured weights: the reconstruction probe's α_r, α_q, α_z, and the α_a that is kept.</param>
public sealed record QlipStage1Calibration(IReadOnlyDictionary<long, double> ReconCurve, IReadOnlyDictionary<long, double> AlignCurve, QlipStage1Weights Configured)
{
    /// <summary>The final fraction of a probe's steps whose mean loss is its plateau.</summary>
    public const double PlateauFraction = 0.25;

    /// <summary>Metrics row kind of the reconstruction-only probe's steps.</summary>
    public const string ReconProbeKind = "probe-recon";

    /// <summary>Metrics row kind of the alignment-only probe's steps.</summary>
    public const string AlignProbeKind = "probe-align";

    /// <summary>The report figure of both probe curves.</summary>
    public const string FigureName = "calibration_probes.png";

    /// <summary>Plateau of the reconstruction-only probe's MSE.</summary>
    public double PlateauMse => Plateau(ReconCurve);

    /// <summary>Plateau of the alignment-only probe's InfoNCE.</summary>
    public double PlateauAlign => Plateau(AlignCurve);

    /// <summary>α_r = α_a · plateau(L_align) / plateau(L_mse).</summary>
    public double AlphaReconstruction => Configured.Alignment * PlateauAlign / PlateauMse;

    /// <summary>
    /// The calibrated weights: α_r from the rule, α_q and α_z scaled by α_r / configured α_r, α_a as configured.
    /// </summary>
    /// <exception cref="InvalidOperationException">The configured α_r is not positive (nothing to scale from).</exception>
    public QlipStage1Weights Weights
    {
        get
        {
            if (!(Configured.Reconstruction > 0))
                throw new InvalidOperationException($"calibration needs a positive configured α_r to scale α_q and α_z from, not {Configured.Reconstruction}");
            var scale = AlphaReconstruction / Configured.Reconstruction;
            return Configured with { Reconstruction = AlphaReconstruction, Quantizer = Configured.Quantizer * scale, Commitment = Configured.Commitment * scale };
        }
    }

    /// <summary>The mean of the values whose step lies in the last <see cref="PlateauFraction"/> of the curve (at least the last point).</summary>
    /// <exception cref="InvalidOperationException">An empty curve, or a plateau that is not a positive finite number.</exception>
    public static double Plateau(IReadOnlyDictionary<long, double> curve)
    {
        if (curve.Count == 0) throw new InvalidOperationException("calibration probe recorded no loss values");
        var last = curve.Keys.Max();
        var from = last - (long)Math.Floor(last * PlateauFraction);
        var plateau = curve.Where(p => p.Key > from || p.Key == last).Average(p => p.Value);
        if (!double.IsFinite(plateau) || plateau <= 0) throw new InvalidOperationException($"calibration probe plateau {plateau} is not a positive finite loss");
        return plateau;
    }

    /// <summary>The numbers the report's <c>calibration</c> section holds.</summary>
    public IReadOnlyDictionary<string, double> Summary() => new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["alpha_r"] = Weights.Reconstruction,
        ["alpha_a"] = Weights.Alignment,
        ["alpha_q"] = Weights.Quantizer,
        ["alpha_z"] = Weights.Commitment,
        ["plateau_mse"] = PlateauMse,
        ["plateau_align"] = PlateauAlign,
        ["probe_steps"] = Math.Max(ReconCurve.Keys.Max(), AlignCurve.Keys.Max()),
        ["plateau_fraction"] = PlateauFraction,
    };

    /// <summary>One line for report.md.</summary>
    public string Note() => string.Create(CultureInfo.InvariantCulture,
        $"α_r = {Weights.Reconstruction:G4}, α_a = {Weights.Alignment:G4} from probe plateaus L_mse = {PlateauMse:G4}, L_align = {PlateauAlign:G4} " +
        $"(mean of the last {PlateauFraction:P0} of {ReconCurve.Count} + {AlignCurve.Count} probe steps; rule α_r/α_a = L_align/L_mse, spec §4); " +
        $"α_q = {Weights.Quantizer:G4}, α_z = {Weights.Commitment:G4} scaled with α_r from the configured {Configured.Reconstruction:G4} / {Configured.Quantizer:G4} / {Configured.Commitment:G4}");

    /// <summary>Both probe curves on one log-scale plot.</summary>
    public ReportFigure Figure()
    {
        const string recon = "reconstruction-only probe: loss/mse", align = "alignment-only probe: loss/align";
        var rows = ReconCurve.Keys.Union(AlignCurve.Keys).Order().Select(step =>
        {
            var values = new Dictionary<string, double>(StringComparer.Ordinal);
            if (ReconCurve.TryGetValue(step, out var m)) values[recon] = m;
            if (AlignCurve.TryGetValue(step, out var a)) values[align] = a;
            return new MetricsRow(step, "probe", values);
        }).ToList();
        var title = string.Create(CultureInfo.InvariantCulture, $"Calibration probes: plateaus {PlateauMse:G3} (MSE), {PlateauAlign:G3} (InfoNCE) → α_r = {AlphaReconstruction:G3}");
        return new ReportFigure(FigureName, "Loss-balancing probes (log10): reconstruction-only MSE and alignment-only InfoNCE",
            LossCurvePlot.RenderPng(rows, title, [recon, align], kind: "probe", logY: true));
    }

    /// <summary>The record as JSON (saved with every checkpoint of a calibrated run).</summary>
    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>A record written by <see cref="ToJson"/>.</summary>
    /// <exception cref="InvalidDataException">The text is not a calibration record.</exception>
    public static QlipStage1Calibration FromJson(string json) =>
        JsonSerializer.Deserialize<QlipStage1Calibration>(json) is { ReconCurve: not null, AlignCurve: not null, Configured: not null } c
            ? c
            : throw new InvalidDataException("saved calibration is not a stage-1 calibration record");
}
