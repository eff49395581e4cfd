using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Qlip.Shared.Hosting;

namespace Qlip.Cli.Commands;

/// <summary><c>qlip workers [NAME...]</c>: runs queue workers in this process until Ctrl+C, for local development.</summary>
internal static class WorkersCommand
{
    public static Command Create()
    {
        var names = new Argument<string[]>("workers")
        {
            Description = $"Which workers: {string.Join(", ", WorkerCatalog.Workers.Keys)} or {WorkerCatalog.All}.",
            Arity = ArgumentArity.ZeroOrMore,
            DefaultValueFactory = _ => [WorkerCatalog.All],
        };
        var workers = new Command("workers", "Run queue workers in-process against the configured storage until Ctrl+C.") { names };
        workers.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var selected = Select(parse.GetValue(names) ?? []);
            await CliStorage.ConnectAsync(ct);
            var builder = Host.CreateApplicationBuilder();
            builder.AddQlipDefaults();
            foreach (var name in selected) WorkerCatalog.Workers[name](builder);
            using var host = builder.Build();
            await host.RunAsync(ct);
            return 0;
        }));
        return workers;
    }

    private static IReadOnlyList<string> Select(string[] requested)
    {
        if (requested.Length == 0 || requested.Contains(WorkerCatalog.All)) return [.. WorkerCatalog.Workers.Keys];
        var unknown = requested.Where(n => !WorkerCatalog.Workers.ContainsKey(n)).ToList();
        if (unknown.Count > 0)
            throw new CommandException($"unknown worker '{unknown[0]}': choose from {string.Join(", ", WorkerCatalog.Workers.Keys)}, {WorkerCatalog.All}");
        return requested.Distinct().ToList();
    }
}
