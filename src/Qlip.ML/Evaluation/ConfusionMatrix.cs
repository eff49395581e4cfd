using static TorchSharp.torch;

namespace Qlip.ML.Evaluation;

/// <summary>Counts of (true class, predicted class) pairs accumulated over batches; rows are true classes.</summary>
public sealed class ConfusionMatrix
{
    private readonly long[,] counts;

    /// <summary>An empty matrix for <paramref name="classes"/> classes.</summary>
    public ConfusionMatrix(int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        Classes = classes;
        counts = new long[classes, classes];
    }

    /// <summary>Number of classes.</summary>
    public int Classes { get; }

    /// <summary>Samples whose true class is <paramref name="actual"/> and prediction <paramref name="predicted"/>.</summary>
    public long this[int actual, int predicted] => counts[actual, predicted];

    /// <summary>Samples counted.</summary>
    public long Total { get; private set; }

    /// <summary>Adds integer predictions and labels of equal length; a class outside [0, K) is an error naming it.</summary>
    public void Add(Tensor predicted, Tensor labels)
    {
        using var p = predicted.detach().cpu().to_type(ScalarType.Int64).flatten();
        using var l = labels.detach().cpu().to_type(ScalarType.Int64).flatten();
        if (p.shape[0] != l.shape[0]) throw new ArgumentException($"{p.shape[0]} predictions but {l.shape[0]} labels.");
        var (ps, ls) = (p.data<long>().ToArray(), l.data<long>().ToArray());
        for (var i = 0; i < ps.Length; i++)
        {
            if (ps[i] < 0 || ps[i] >= Classes || ls[i] < 0 || ls[i] >= Classes)
                throw new ArgumentOutOfRangeException(nameof(predicted), $"sample {i}: label {ls[i]}, prediction {ps[i]} outside [0, {Classes})");
            counts[ls[i], ps[i]]++;
        }
        Total += ps.Length;
    }

    /// <summary>Fraction on the diagonal.</summary>
    public double Accuracy => Total == 0 ? 0 : Enumerable.Range(0, Classes).Sum(c => counts[c, c]) / (double)Total;

    /// <summary>Per true class, the fraction predicted correctly (NaN for a class with no samples).</summary>
    public IReadOnlyList<double> Recall =>
        Enumerable.Range(0, Classes).Select(c =>
        {
            var row = Enumerable.Range(0, Classes).Sum(p => counts[c, p]);
            return row == 0 ? double.NaN : counts[c, c] / (double)row;
        }).ToList();
}
