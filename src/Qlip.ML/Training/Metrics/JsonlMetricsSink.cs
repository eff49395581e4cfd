using System.Text;

namespace Qlip.ML.Training.Metrics;

/// <summary>Appends rows to a <c>metrics.jsonl</c> stream, flushing each line so a watcher sees progress and a crash loses nothing written.</summary>
public sealed class JsonlMetricsSink : IMetricsSink, IDisposable
{
    private readonly StreamWriter writer;

    /// <summary>Writes to <paramref name="stream"/>, which this sink owns.</summary>
    public JsonlMetricsSink(Stream stream)
    {
        writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
    }

    /// <summary>Appends to the file at <paramref name="path"/> (a resumed run continues the same file).</summary>
    public static JsonlMetricsSink AppendTo(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return new JsonlMetricsSink(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read));
    }

    /// <inheritdoc />
    public void Write(MetricsRow row)
    {
        writer.WriteLine(JsonlMetrics.Format(row));
        writer.Flush();
    }

    /// <inheritdoc />
    public void Dispose() => writer.Dispose();
}
