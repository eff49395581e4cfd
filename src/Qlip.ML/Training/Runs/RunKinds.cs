using Qlip.ML.Training.Stage1;
using Qlip.ML.Training.Stage2;

namespace Qlip.ML.Training.Runs;

/// <summary>The run kinds this build can train; a new kind adds its class here.</summary>
public static class RunKinds
{
    /// <summary>A registry of every kind (fresh instances: kinds cache their tokenizer).</summary>
    public static RunKindRegistry Create() => new([new QlipStage1RunKind(), new QlipStage2RunKind()]);
}
