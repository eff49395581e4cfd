using System.Text.Json.Serialization;

namespace Qlip.Shared.Messages;

/// <summary>What a trainer does when the run already has checkpoints.</summary>
public enum ResumePolicy
{
    /// <summary>Continue from the newest checkpoint (the at-least-once default: a redelivered run resumes).</summary>
    [JsonStringEnumMemberName("latest")] Latest,

    /// <summary>Refuse to start when checkpoints exist.</summary>
    [JsonStringEnumMemberName("fail-if-exists")] FailIfExists,
}
