namespace Qlip.ML.Training.Checkpointing;

/// <summary>One named file of a checkpoint and how to write its bytes into the stream the store opens.</summary>
/// <param name="Name">File name inside the checkpoint, e.g. <c>model.bin</c>.</param>
/// <param name="WriteTo">Writes the content; the store owns and closes the stream.</param>
public sealed record CheckpointFile(string Name, Func<Stream, CancellationToken, Task> WriteTo);
