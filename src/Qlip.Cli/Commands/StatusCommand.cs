using System.CommandLine;
using System.Globalization;
using Qlip.Shared.Progress;

namespace Qlip.Cli.Commands;

/// <summary><c>qlip status [--dataset D]</c>: per data set, samples ingested, needing a caption, captioned, failed to caption and tokenized.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var dataset = new Option<string?>("--dataset") { Description = "Only this data set (default: every data set in the shards table)" };
        var status = new Command("status", "Pipeline progress per data set: ingested, needs-caption, captioned, caption failures, tokenized.") { dataset };
        status.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var clients = await CliStorage.ConnectAsync(ct);
            var progress = await DatasetProgressReader.ReadAsync(clients, parse.GetValue(dataset), ct);
            if (progress.Count == 0)
            {
                Console.WriteLine(parse.GetValue(dataset) is { } name ? $"no shards of data set '{name}' yet" : "no data sets yet (add shards with `qlip shards add`)");
                return 0;
            }
            foreach (var line in Format(progress)) Console.WriteLine(line);
            return 0;
        }));
        return status;
    }

    /// <summary>A header and one aligned line per data set; tokenized counts per checkpoint id.</summary>
    public static IEnumerable<string> Format(IReadOnlyList<DatasetProgress> progress)
    {
        var width = Math.Max("dataset".Length, progress.Max(p => p.Dataset.Length));
        yield return $"{"dataset".PadRight(width)}  {"shards",7}  {"ingested",9}  {"needs-caption",13}  {"captioned",9}  {"caption-failures",16}  tokenized";
        foreach (var p in progress)
        {
            var shards = p.FailedShards > 0 ? $"{p.Shards} ({p.FailedShards} failed)" : p.Shards.ToString(CultureInfo.InvariantCulture);
            var tokenized = p.Tokenized.Count == 0 ? "0" : string.Join(", ", p.Tokenized.Select(t => $"{t.Value} ({t.Key})"));
            yield return $"{p.Dataset.PadRight(width)}  {shards,7}  {p.Ingested,9}  {p.NeedsCaption,13}  {p.Captioned,9}  {p.CaptionFailures,16}  {tokenized}";
        }
    }
}
