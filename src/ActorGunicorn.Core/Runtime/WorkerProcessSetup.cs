using System.Net.Sockets;
using ActorGunicorn.Configuration;
using ActorGunicorn.Transport;

namespace ActorGunicorn.Runtime;

/// <summary>
/// What a worker does to its process before it loads the application, as gunicorn's worker does after fork: open the
/// sockets it accepts on (its own SO_REUSEPORT listeners with <c>--reuse-port</c>, which must be bound while the
/// process still has the arbiter's user), then switch to <c>--user</c> and <c>--group</c>.
/// </summary>
internal static class WorkerProcessSetup
{
    /// <summary>The sockets to accept on, or null (after logging why) when the worker cannot boot.</summary>
    public static WorkerListeners? Prepare(ServerSettings settings, IReadOnlyList<int> listenFds, Serilog.ILogger logger)
    {
        var sockets = new List<Socket>();
        var own = new HashSet<Socket>();
        try
        {
            foreach (var fd in listenFds)
            {
                var inherited = Listener.FromInheritedDescriptor(fd);
                if (Listener.IsListening(inherited))
                {
                    sockets.Add(inherited);
                    continue;
                }

                // A per-worker address: the arbiter only holds it bound (--reuse-port).
                using (inherited)
                {
                    var socket = Listener.ListenOnSameAddress(inherited, settings.Backlog);
                    sockets.Add(socket);
                    own.Add(socket);
                }
            }
        }
        catch (SocketException ex)
        {
            logger.Error("Cannot listen on the worker's own socket (--reuse-port): {Message}", ex.Message);
            sockets.ForEach(s => s.Dispose());
            return null;
        }

        var identity = WorkerIdentity.From(settings);
        if (identity.Switches)
        {
            try
            {
                identity.Apply();
            }
            catch (IOException ex)
            {
                logger.Error("Cannot switch the worker to --user {User} / --group {Group}: {Message}", settings.User ?? "-", settings.Group ?? "-", ex.Message);
                sockets.ForEach(s => s.Dispose());
                return null;
            }
        }

        return new WorkerListeners(sockets, own);
    }
}

/// <summary>The sockets a worker accepts on.</summary>
/// <param name="All">Every listener, in the arbiter's order.</param>
/// <param name="Own">Those the worker opened itself (<c>--reuse-port</c>); the others are shared with every worker.</param>
internal sealed record WorkerListeners(IReadOnlyList<Socket> All, IReadOnlySet<Socket> Own);
