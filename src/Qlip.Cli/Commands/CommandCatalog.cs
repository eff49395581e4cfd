using System.CommandLine;

namespace Qlip.Cli.Commands;

/// <summary>The top-level `qlip` commands. Each area adds one line here and keeps its tree in its own file.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return CaptionCommand.Create();
        yield return DataCommand.Create();
        yield return DemoCommand.Create();
        yield return DevCommand.Create();
        yield return ShardsCommand.Create();
        yield return StatusCommand.Create();
        yield return WorkersCommand.Create();
        yield return TrainCommand.Create();
        yield return TokenizeCommand.Create();
        yield return DetokenizeCommand.Create();
        yield return ZeroShotCommand.Create();
        yield return ModelCommand.Create();
        yield return TokensCommands.TokenizeDataset();
        yield return TokensCommands.Export();
    }
}
