using TorchSharp.Modules;

namespace Qlip.ML.Training.Optim;

/// <summary>A trainable parameter with its state-dict name; the name keys its optimizer state.</summary>
/// <param name="Name">State-dict name, e.g. <c>vision_model.encoder.layers.0.mlp.fc1.weight</c>.</param>
/// <param name="Parameter">The parameter tensor the optimizer updates in place.</param>
public sealed record NamedParameter(string Name, Parameter Parameter);
