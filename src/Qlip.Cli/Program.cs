using System.CommandLine;
using Qlip.Cli.Commands;

// `qlip`: one command per area; each area's file builds its own subcommand tree.
var root = new RootCommand("Qlip: QLIP tokenizer training and the data pipeline around it.");
foreach (var command in CommandCatalog.All())
    root.Subcommands.Add(command);
// On Ctrl+C the command's token is cancelled; `qlip workers` then needs up to its host's ShutdownTimeout (30 s) to let
// running handlers finish or release their messages, so don't cut commands off after System.CommandLine's default 2 s.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(35) });
