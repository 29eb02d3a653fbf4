using System.Diagnostics;
using System.Globalization;
using ActorGunicorn.Interop;
using ActorGunicorn.Logging;
using ActorGunicorn.Runtime;
using ActorGunicorn.Transport;
using Microsoft.Extensions.Logging;

namespace ActorGunicorn.Arbitration;

/// <summary>
/// gunicorn's binary upgrade, seen from one arbiter. USR2 starts a new arbiter from the start context (same
/// executable, arguments, directory and environment) that inherits the listeners at the same descriptor numbers
/// (<c>ACTORGUNICORN_FD</c>) and knows its parent (<c>ACTORGUNICORN_PID</c>); it writes <c>PIDFILE.2</c> and spawns
/// its own workers. While both run, neither accepts another USR2 and neither removes a Unix socket file. When the
/// old arbiter exits, the new one is promoted: it takes the configured pid file name.
/// </summary>
/// <remarks>Used by the arbiter actor only, and by the arbiter's main after the actor has stopped.</remarks>
internal sealed class BinaryUpgrade
{
    /// <summary>The environment variable naming a USR2 child's parent arbiter (gunicorn's <c>GUNICORN_PID</c>).</summary>
    public const string ParentPidVariable = "ACTORGUNICORN_PID";

    private readonly ArbiterStartup _startup;
    private readonly ArbiterListeners _listeners;
    private readonly PidFile? _pidFile;
    private readonly string? _configuredPidFile;
    private readonly ILogger _log;
    private Process? _child;

    public BinaryUpgrade(ArbiterStartup startup, int parentPid, ArbiterListeners listeners, PidFile? pidFile, string? configuredPidFile, ILogger log)
    {
        _startup = startup;
        ParentPid = parentPid;
        _listeners = listeners;
        _pidFile = pidFile;
        _configuredPidFile = configuredPidFile;
        _log = log;
    }

    /// <summary>The USR2 child has exited (a message to the arbiter actor).</summary>
    /// <param name="Pid">Its pid.</param>
    /// <param name="ExitCode">Its exit code.</param>
    public sealed record ChildExited(int Pid, int ExitCode);

    /// <summary>The arbiter that started this one with USR2, while it runs; 0 otherwise.</summary>
    public int ParentPid { get; private set; }

    /// <summary>The arbiter this one started with USR2, while it runs; 0 otherwise.</summary>
    public int ChildPid => _child is { } child && !child.HasExited ? child.Id : 0;

    /// <summary>Whether another arbiter serves on the same listeners: Unix socket files must then stay.</summary>
    public bool PeerExists => ParentPid != 0 || ChildPid != 0;

    /// <summary>The USR2 parent's pid from the environment, or 0 when this arbiter was started otherwise.</summary>
    public static int ParentFromEnvironment() =>
        int.TryParse(Environment.GetEnvironmentVariable(ParentPidVariable), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : 0;

    /// <summary>
    /// USR2: starts the new arbiter, unless an upgrade is already under way. Returns a task that completes with
    /// <see cref="ChildExited"/> when the new arbiter exits, for the actor to pipe to itself; null when nothing was started.
    /// </summary>
    public Task<ChildExited>? Reexec()
    {
        switch (UpgradeDecisions.OnUsr2(ChildPid, ParentPid))
        {
            case Usr2Decision.IgnoreChildExists:
                _log.Usr2IgnoredChildExists();
                return null;
            case Usr2Decision.IgnoreParentExists:
                _log.Usr2IgnoredParentExists();
                return null;
        }

        var fds = string.Join(',', _listeners.All.Select(l => l.Fd.ToString(CultureInfo.InvariantCulture)));
        var handOff = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ParentPidVariable] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            [ListenerSources.UpgradeFdsVariable] = fds,
        };
        if (_listeners.FromSystemd)
        {
            handOff[ListenerSources.UpgradeFromSystemdVariable] = "1";
        }

        Process child;
        try
        {
            // No worker's control channel may be inheritable while the new arbiter starts.
            lock (DescriptorInheritance.SpawnLock)
            {
                child = Process.Start(_startup.StartInfo(handOff)) ?? throw new InvalidOperationException("the process did not start");
            }
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            _log.ReexecFailed(ex.Message);
            return null;
        }

        _child?.Dispose();
        _child = child;
        _log.Reexecuting(child.Id, fds);
        int pid = child.Id;
        return WaitForExitAsync(child, pid);
    }

    /// <summary>Forgets the USR2 child once it has exited, so a later USR2 may start another.</summary>
    public void OnChildExited(ChildExited exited)
    {
        ArgumentNullException.ThrowIfNull(exited);
        _log.ReexecChildExited(exited.ExitCode == 0 ? LogLevel.Information : LogLevel.Warning, exited.Pid, exited.ExitCode);
        if (_child is { } child && child.Id == exited.Pid)
        {
            child.Dispose();
            _child = null;
        }
    }

    /// <summary>
    /// gunicorn's <c>maybe_promote_master</c>, on every tick: once the USR2 parent is gone (this process has a new
    /// parent), this arbiter is the master; its pid file takes the configured name.
    /// </summary>
    public void MaybePromote()
    {
        if (!UpgradeDecisions.IsPromoted(ParentPid, Libc.GetParentPid()))
        {
            return;
        }

        ParentPid = 0;
        Environment.SetEnvironmentVariable(ParentPidVariable, null);
        Libc.UnsetEnv(ParentPidVariable);
        if (_pidFile is not null && _configuredPidFile is not null)
        {
            try
            {
                _pidFile.Rename(_configuredPidFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _log.PidFileRenameFailed(_configuredPidFile, ex.Message);
            }
        }

        // Logged once the pid file has its name, so whoever watches the log may read it.
        _log.MasterPromoted();
    }

    private static async Task<ChildExited> WaitForExitAsync(Process child, int pid)
    {
        await child.WaitForExitAsync().ConfigureAwait(false);
        return new ChildExited(pid, child.ExitCode);
    }
}
