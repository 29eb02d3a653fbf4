namespace ActorGunicorn.Hosting.Tests.Infrastructure;

/// <summary>Waits for a condition with a deadline, checking it every few milliseconds (an event, not a sleep).</summary>
internal static class Poll
{
    public static async Task<bool> UntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }
}
