using System.CommandLine;
using Qlip.Cli.Commands;

// `qlip`: one command per area; each area's file builds its own subcommand tree.
var root = new RootCommand("Qlip: QLIP tokenizer training and the data pipeline around it.");
foreach (var command in CommandCatalog.All())
    root.Subcommands.Add(command);
return await root.Parse(args).InvokeAsync();
