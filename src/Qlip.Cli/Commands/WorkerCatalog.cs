using Microsoft.Extensions.Hosting;
using Qlip.Captioning.Hosting;
using Qlip.Ingest.Hosting;
using Qlip.TrainerHost.Hosting;
using Qlip.TrainerHost.Tokenize;

namespace Qlip.Cli.Commands;

/// <summary>The worker hosts `qlip workers` can run in-process, each by its host's own registration extension.</summary>
internal static class WorkerCatalog
{
    public const string All = "all";

    /// <summary>Worker name → the registrations its Generic Host executable makes. Each new host adds one line.</summary>
    public static readonly IReadOnlyDictionary<string, Action<IHostApplicationBuilder>> Workers =
        new Dictionary<string, Action<IHostApplicationBuilder>>
        {
            ["ingest"] = builder => builder.AddIngestHandlers(),
            ["caption"] = builder => builder.AddCaptioningHandlers(),
            ["tokenize"] = builder => builder.AddTokenizeHandlers(),
            ["train"] = builder => builder.AddTrainer(),
        };
}
