using Xunit;

namespace Qlip.Testing.Polling;

/// <summary>Polling for conditions that a worker makes true in its own time.</summary>
public static class Eventually
{
    /// <summary>Polls until <paramref name="condition"/> holds; fails the test after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out after {timeout.TotalSeconds} s waiting for {what}");
            await Task.Delay(50);
        }
    }
}
