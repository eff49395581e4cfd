namespace Qlip.Cli.Commands;

/// <summary>A problem the user can fix; the CLI prints its message as one line and exits with code 1.</summary>
internal sealed class CommandException(string message) : Exception(message);
