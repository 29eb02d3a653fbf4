using ActorGunicorn.Configuration;
using ActorGunicorn.Interop;
using ActorGunicorn.Transport;

namespace ActorGunicorn.Hosting.Internal;

/// <summary>Opens the embedded server's listeners from the <c>bind</c> setting.</summary>
internal static class Listeners
{
    /// <summary>
    /// Binds every address, close-on-exec (no child process of the host inherits them; pre-fork workers get them
    /// from <see cref="Arbitration.WorkerSpawner"/> as they start). On a failure closes those already bound and
    /// throws a settings error naming the address.
    /// </summary>
    /// <param name="settings">The server settings.</param>
    public static IReadOnlyList<Listener> Open(ServerSettings settings)
    {
        var listeners = new List<Listener>();
        foreach (var address in settings.Bind)
        {
            try
            {
                var listener = Listener.Bind(address, settings.Backlog, new BindOptions(ReusePort: false, settings.Umask, OwnerUid: null, OwnerGid: null));
                Libc.SetInheritable(listener.Fd, inheritable: false);

                listeners.Add(listener);
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                listeners.ForEach(open => open.Dispose());
                throw new SettingsException($"{SettingsTable.Bind.Label}: cannot listen at '{address}': {ex.Message}", ex);
            }
        }

        return listeners;
    }

    /// <summary>Closes the listeners and removes the Unix socket files they bound (a socket's close leaves its file).</summary>
    public static void Close(IReadOnlyList<Listener> listeners)
    {
        foreach (var listener in listeners)
        {
            listener.Dispose();
            if (listener.Address is UnixBindAddress unix)
            {
                try
                {
                    File.Delete(unix.Path);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // The next start replaces a stale socket file; nothing else to do while stopping.
                }
            }
        }
    }
}
