using System.Text.Json.Serialization;

namespace Qlip.Shared.Messages;

/// <summary>Which samples of a shard a caption request captions.</summary>
public enum CaptionPolicy
{
    /// <summary>Only samples without a caption (the default after ingest).</summary>
    [JsonStringEnumMemberName("fill-missing")] FillMissing,

    /// <summary>Every selected sample, replacing existing captions (recaptioning).</summary>
    [JsonStringEnumMemberName("replace")] Replace,
}
