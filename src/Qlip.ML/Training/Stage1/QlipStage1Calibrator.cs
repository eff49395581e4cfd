using Qlip.ML.Training.Checkpointing;
using Qlip.ML.Training.Data;
using Qlip.ML.Training.Runs;

namespace Qlip.ML.Training.Stage1;

/// <summary>
/// Runs the two probes of <see cref="QlipStage1Calibration"/> with the shared <see cref="Trainer{TBatch}"/>: same seed
/// (so the same initialization as the real run), a fresh data stream in the run's order, <see cref="QlipStage1Config.ProbeSteps"/>
/// steps on their own warm-up + cosine schedule, every step logged under the probe's row kind, no evaluation, nothing
/// checkpointed.
/// </summary>
internal static class QlipStage1Calibrator
{
    public static async Task<QlipStage1Calibration> RunAsync(QlipStage1RunKind kind, QlipStage1Config config, RunStart start, CancellationToken ct)
    {
        var settings = config.Settings with { TotalSteps = config.ProbeSteps, WarmupSteps = Math.Min(config.Settings.WarmupSteps, config.ProbeSteps / 5) };
        var probe = config with { Settings = settings };
        var recon = await ProbeAsync(kind, probe with { Weights = config.Weights with { Alignment = 0 } },
            QlipStage1Calibration.ReconProbeKind, "loss/mse", start, ct);
        var align = await ProbeAsync(kind, probe with { Weights = new QlipStage1Weights(Reconstruction: 0, Quantizer: 0, config.Weights.Alignment, Commitment: 0) },
            QlipStage1Calibration.AlignProbeKind, "loss/align", start, ct);
        return new QlipStage1Calibration(recon, align, config.Weights);
    }

    private static async Task<IReadOnlyDictionary<long, double>> ProbeAsync(QlipStage1RunKind kind, QlipStage1Config probe, string rowKind, string term,
        RunStart start, CancellationToken ct)
    {
        var sink = new ProbeMetricsSink(start.Metrics, rowKind, term);
        var options = start.Options with { MaxSteps = probe.ProbeSteps, LogEvery = 1, EvalEvery = 0, CheckpointEvery = 0, RunValues = null };
        using var data = new PrefetchingBatchSource<ImageTextBatch>(kind.OpenProbeData(probe, start), capacity: 3);
        var trainer = new Trainer<ImageTextBatch>(() => kind.CreateProbe(probe), data, new DiscardingCheckpointStore(), sink, options);
        try
        {
            var result = await trainer.RunAsync(ct);
            if (result.Cancelled) throw new OperationCanceledException($"calibration probe {rowKind} cancelled", ct);
            return sink.Curve;
        }
        finally
        {
            trainer.Run?.Dispose();
        }
    }
}
