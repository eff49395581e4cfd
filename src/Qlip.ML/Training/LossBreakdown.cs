using static TorchSharp.torch;

namespace Qlip.ML.Training;

/// <summary>
/// What an objective returns for one batch: the weighted total to backpropagate and the named terms to log
/// (e.g. <c>mse</c>, <c>bsq</c>, <c>align</c>, usually unweighted so runs with different weights compare).
/// </summary>
/// <param name="Total">Scalar loss; the trainer calls backward on it.</param>
/// <param name="Terms">Named scalar tensors logged as <c>loss/{name}</c>; they need no gradient.</param>
public sealed record LossBreakdown(Tensor Total, IReadOnlyDictionary<string, Tensor> Terms);
