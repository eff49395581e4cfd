using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Qlip.ML.Training.Metrics;

/// <summary>
/// The <c>metrics.jsonl</c> format: one flat JSON object per line, <c>{"step":…,"kind":…,"loss":…,…}</c>.
/// Non-finite values (PSNR of identical images, a diverged loss) are written as the strings "NaN", "Infinity",
/// "-Infinity", which <see cref="JsonSerializer"/> reads with <c>AllowNamedFloatingPointLiterals</c>.
/// </summary>
public static class JsonlMetrics
{
    /// <summary>Serializes a row as one line without the trailing newline.</summary>
    public static string Format(MetricsRow row)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("step", row.Step);
            json.WriteString("kind", row.Kind);
            foreach (var (name, value) in row.Values)
            {
                if (double.IsFinite(value)) json.WriteNumber(name, value);
                else json.WriteString(name, value.ToString(CultureInfo.InvariantCulture));
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Parses one line written by <see cref="Format"/>; a malformed line is an error naming its content.</summary>
    public static MetricsRow Parse(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        if (!root.TryGetProperty("step", out var step) || !root.TryGetProperty("kind", out var kind))
            throw new InvalidDataException($"Metrics line lacks 'step' or 'kind': {line}");
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var p in root.EnumerateObject())
        {
            if (p.Name is "step" or "kind") continue;
            values[p.Name] = p.Value.ValueKind == JsonValueKind.String
                ? double.Parse(p.Value.GetString()!, CultureInfo.InvariantCulture)
                : p.Value.GetDouble();
        }
        return new MetricsRow(step.GetInt64(), kind.GetString()!, values);
    }

    /// <summary>Reads every row of a metrics.jsonl stream.</summary>
    public static IReadOnlyList<MetricsRow> ReadAll(Stream stream)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        var rows = new List<MetricsRow>();
        while (reader.ReadLine() is { } line)
            if (line.Length > 0) rows.Add(Parse(line));
        return rows;
    }
}
