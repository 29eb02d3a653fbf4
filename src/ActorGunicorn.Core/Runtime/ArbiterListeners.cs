using System.Net.Sockets;
using ActorGunicorn.Configuration;
using ActorGunicorn.Transport;

namespace ActorGunicorn.Runtime;

/// <summary>
/// The arbiter's listeners, opened as gunicorn's <c>create_sockets</c> does: from systemd's or a USR2 parent's
/// descriptors, else by binding each address (an address in use is retried five times a second apart). Closing them
/// removes the Unix socket files this arbiter's line bound, unless a USR2 peer still serves on them.
/// </summary>
internal sealed class ArbiterListeners
{
    private const int BindAttempts = 5;

    private readonly IReadOnlyList<BindAddress> _bind;
    private ListenerGates? _gates;

    private ArbiterListeners(List<Listener> listeners, IReadOnlyList<BindAddress> bind, bool fromSystemd)
    {
        All = listeners;
        _bind = bind;
        FromSystemd = fromSystemd;
    }

    /// <summary>The listeners, in the order they were opened.</summary>
    public IReadOnlyList<Listener> All { get; }

    /// <summary>Whether the listeners came from systemd (directly or through a USR2 parent): a USR2 child is told so.</summary>
    public bool FromSystemd { get; }

    /// <summary>Opens every listener; null (after logging why) when one cannot be opened.</summary>
    public static async Task<ArbiterListeners?> OpenAsync(
        ServerSettings settings,
        IReadOnlyList<ListenerSource> sources,
        BindOptions options,
        Serilog.ILogger logger)
    {
        var listeners = new List<Listener>();
        foreach (var source in sources)
        {
            var listener = source switch
            {
                ListenerSource.Bind bind => await BindAsync(bind.Address, settings.Backlog, options, logger).ConfigureAwait(false),
                ListenerSource.Inherit inherit => Inherit(inherit, settings, logger),
                _ => null,
            };
            if (listener is null)
            {
                listeners.ForEach(l => l.Dispose());
                return null;
            }

            listeners.Add(listener);
        }

        if (listeners.Any(l => l.IsPerWorker) && !ListenerGate.KernelMigratesReusePortQueues())
        {
            logger.Warning(
                "--reuse-port: net.ipv4.tcp_migrate_req is 0, so a worker that stops closes its own socket to new connections "
                + "before it closes it, and a client that connects to it meanwhile reaches another worker only when it retries "
                + "(about 1 s later); set it to 1 to have the kernel move such connections at once");
        }

        return new ArbiterListeners(listeners, settings.Bind, listeners.Any(l => l.Origin == ListenerOrigin.Systemd));
    }

    /// <summary>The listeners' gates, which the arbiter closes when the whole server stops.</summary>
    /// <param name="upgradePeerExists">Whether a USR2 parent or child serves on the same sockets at that moment.</param>
    public ListenerGates Gates(Func<bool> upgradePeerExists) => _gates ??= new ListenerGates(All, upgradePeerExists);

    /// <summary>
    /// Closes every listener, removing the Unix socket files that are this arbiter's to remove; a socket that outlives
    /// this server gets its gate opened again first.
    /// </summary>
    /// <param name="upgradePeerExists">True while a USR2 parent or child still serves on the same sockets.</param>
    public void Close(bool upgradePeerExists)
    {
        _gates?.ReopenBorrowed();
        foreach (var listener in All)
        {
            listener.Dispose();
            if (ListenerSources.ShouldUnlink(listener.Origin, listener.Address, _bind, upgradePeerExists) && listener.Address is UnixBindAddress unix)
            {
                try
                {
                    File.Delete(unix.Path);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Nothing to do about it at exit; the next start replaces a stale socket file.
                }
            }
        }
    }

    private static Listener? Inherit(ListenerSource.Inherit source, ServerSettings settings, Serilog.ILogger logger)
    {
        try
        {
            return Listener.Inherit(source.Fd, settings.Backlog, source.Origin, settings.ReusePort);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            logger.Error("Can't use inherited file descriptor {Fd} ({Origin}): {Message}", source.Fd, source.Origin, ex.Message);
            return null;
        }
    }

    private static async Task<Listener?> BindAsync(BindAddress address, int backlog, BindOptions options, Serilog.ILogger logger)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return Listener.Bind(address, backlog, options);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt < BindAttempts)
            {
                logger.Error("Connection in use: {Address}", address);
                logger.Debug("Retrying in 1 second.");
                await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or IOException or UnauthorizedAccessException)
            {
                logger.Error("Can't connect to {Address}: {Message}", address, ex.Message);
                return null;
            }
        }
    }
}
