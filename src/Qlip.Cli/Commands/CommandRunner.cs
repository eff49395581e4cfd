using Microsoft.Extensions.Options;
using Qlip.Data.Sets;
using Qlip.Shared.Dev;

namespace Qlip.Cli.Commands;

/// <summary>Runs a command body, turning the errors a user can fix into one line on stderr and exit code 1.</summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception e) when (e is CommandException or DevStoreException or FileNotFoundException or ArgumentException
                                       or OptionsValidationException or DataNotFoundException)
        {
            Console.Error.WriteLine($"qlip: {e.Message}");
            return 1;
        }
    }
}
