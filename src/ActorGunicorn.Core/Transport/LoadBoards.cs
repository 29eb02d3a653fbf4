using ActorGunicorn.Logging;
using Microsoft.Extensions.Logging;

namespace ActorGunicorn.Transport;

/// <summary>Where an arbiter gets its load board.</summary>
internal static class LoadBoards
{
    /// <summary>
    /// A new board, or null (after a warning) where the kernel refuses shared memory: the workers then accept as they
    /// would without one, which is correct, only less evenly spread.
    /// </summary>
    public static LoadBoard? TryCreate(ILogger log)
    {
        try
        {
            return LoadBoard.Create();
        }
        catch (IOException ex)
        {
            log.LoadBoardUnavailable(ex.Message);
            return null;
        }
    }
}
