using System.ComponentModel.DataAnnotations;
using Qlip.Data.Captions;

namespace Qlip.TrainerHost.Tokenize;

/// <summary>How the tokenize worker runs (configuration section <c>Tokenize</c>).</summary>
public sealed class TokenizeOptions
{
    public const string SectionName = "Tokenize";

    /// <summary>Images per encoder forward pass.</summary>
    [Range(1, 4096)] public int BatchSize { get; set; } = 32;

    /// <summary>Torch device the encoder runs on: <c>cpu</c> or <c>cuda</c>.</summary>
    [Required] public string Device { get; set; } = "cpu";

    /// <summary>Which caption a tokens row gets: <c>Original</c> (the recaption only where there is none, as for SA-1B),
    /// <c>Recaption</c>, or <c>Mixed</c> (the recaption for <see cref="RecaptionRatio"/> of the keys).</summary>
    public CaptionSource Captions { get; set; } = CaptionSource.Original;

    /// <summary>For <see cref="CaptionSource.Mixed"/>: the fraction of keys that take the recaption.</summary>
    [Range(0.0, 1.0)] public double RecaptionRatio { get; set; } = 0.5;

    /// <summary>
    /// With <c>Recaption</c> or <c>Mixed</c>: how long a shard's tokenization waits for the captions ingest requested
    /// (counted from when the request was queued) before it is poisoned with the reason. <c>Original</c> never waits.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan CaptionWait { get; set; } = TimeSpan.FromHours(24);

    /// <summary>While waiting for captions: how long the request stays invisible before the worker looks again (whole seconds).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan CaptionRecheckInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The caption policy these options describe.</summary>
    public CaptionResolver CaptionPolicy() => new(Captions, RecaptionRatio);

    /// <summary>How the worker's <see cref="Qlip.ML.Inference.QlipPipeline"/> runs: this device and batch size.</summary>
    public Qlip.ML.Inference.QlipPipelineOptions PipelineOptions() => new() { Device = Device, BatchSize = BatchSize };

    /// <summary>Where downloaded checkpoints are kept (one folder per checkpoint id); default: a folder under the temp path.</summary>
    public string? CacheFolder { get; set; }

    /// <summary>The cache folder in use.</summary>
    public string ResolveCacheFolder() => CacheFolder ?? Path.Combine(Path.GetTempPath(), "qlip-checkpoints");
}
