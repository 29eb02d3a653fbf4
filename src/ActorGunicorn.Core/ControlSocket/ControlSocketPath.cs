using System.Text;

namespace ActorGunicorn.ControlSocket;

/// <summary>
/// Where the control socket is: the configured path, or gunicorn's default location under this server's name. The
/// server and <c>actorgunicorn ctl</c> resolve it the same way, so <c>ctl</c> finds a server started with defaults.
/// </summary>
public static class ControlSocketPath
{
    /// <summary>The socket's file name in the default locations.</summary>
    public const string FileName = "actorgunicorn.ctl";

    /// <summary>The longest path a Unix socket can have: <c>sun_path</c> holds 108 bytes with the terminating NUL.</summary>
    public const int MaxBytes = 107;

    /// <summary>The default, as help and docs describe it.</summary>
    public const string DefaultDescription = "$XDG_RUNTIME_DIR/actorgunicorn.ctl, else ~/.actorgunicorn/actorgunicorn.ctl";

    /// <summary>
    /// The socket's absolute path: <paramref name="configured"/> (relative to the working directory), else
    /// <c>$XDG_RUNTIME_DIR/actorgunicorn.ctl</c>, else <c>$HOME/.actorgunicorn/actorgunicorn.ctl</c>.
    /// </summary>
    /// <param name="configured">The <c>control_socket</c> setting or the client's <c>--socket</c>; null or empty for the default.</param>
    /// <param name="environment">Reads an environment variable (null when unset).</param>
    /// <returns>The absolute path.</returns>
    public static string Resolve(string? configured, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrEmpty(configured))
        {
            return Path.GetFullPath(configured);
        }

        // The per-user runtime directory (systemd's /run/user/UID) is private to the user and emptied at logout,
        // which is exactly right for a socket; without one, a private directory in the home directory.
        if (environment("XDG_RUNTIME_DIR") is { Length: > 0 } runtime)
        {
            return Path.Combine(Path.GetFullPath(runtime), FileName);
        }

        var home = environment("HOME") is { Length: > 0 } set ? set : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(Path.GetFullPath(home), ".actorgunicorn", FileName);
    }

    /// <summary>Whether <paramref name="configured"/> means the default location.</summary>
    /// <param name="configured">The <c>control_socket</c> setting.</param>
    public static bool IsDefault(string? configured) => string.IsNullOrEmpty(configured);

    /// <summary>Null when <paramref name="path"/> fits in a Unix socket address, else why it does not.</summary>
    /// <param name="path">An absolute socket path.</param>
    public static string? CheckLength(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        int bytes = Encoding.UTF8.GetByteCount(path);
        return bytes <= MaxBytes ? null : $"'{path}' is {bytes} bytes long; a Unix socket path holds at most {MaxBytes}";
    }
}
