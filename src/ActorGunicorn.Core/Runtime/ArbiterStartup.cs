using System.Collections;
using System.Diagnostics;
using ActorGunicorn.Transport;

namespace ActorGunicorn.Runtime;

/// <summary>
/// How the arbiter was started: executable, arguments, working directory and environment, captured before
/// <c>--chdir</c> and <c>-e</c> change the process (gunicorn's <c>START_CTX</c> and <c>env_orig</c>). A USR2 child and a
/// daemon are started from it, so they read their configuration exactly as the first arbiter did.
/// </summary>
/// <param name="Executable">The executable (the dotnet host when run as <c>dotnet actorgunicorn.dll</c>).</param>
/// <param name="Arguments">The arguments, with the entry assembly first under the dotnet host.</param>
/// <param name="WorkingDirectory">The working directory at start.</param>
/// <param name="Environment">The environment at start, without the variables the server sets for its own children.</param>
internal sealed record ArbiterStartup(
    string Executable,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment)
{
    // Process-to-process hand-offs: meaningful only to the process they were set for.
    private static readonly string[] HandOffVariables =
    [
        ListenerSources.UpgradeFdsVariable,
        ListenerSources.UpgradeFromSystemdVariable,
        Arbitration.BinaryUpgrade.ParentPidVariable,
        DaemonSession.ReadyFdVariable,
        "LISTEN_FDS",
        "LISTEN_PID",
        "LISTEN_FDNAMES",
    ];

    /// <summary>Captures the current process's start: call it before anything changes the directory or environment.</summary>
    public static ArbiterStartup Capture(string[] args)
    {
        var executable = System.Environment.ProcessPath ?? throw new InvalidOperationException("cannot find the server executable");
        var arguments = new List<string>();
        // Under `dotnet actorgunicorn.dll` the process is the dotnet host: hand it the entry assembly again.
        if (Path.GetFileNameWithoutExtension(executable) == "dotnet")
        {
            arguments.Add(System.Reflection.Assembly.GetEntryAssembly()?.Location is { Length: > 0 } entry
                ? entry
                : throw new InvalidOperationException("cannot find the entry assembly"));
        }

        arguments.AddRange(args);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            if (entry.Value is string value && !HandOffVariables.Contains((string)entry.Key))
            {
                environment[(string)entry.Key] = value;
            }
        }

        return new ArbiterStartup(executable, arguments, Directory.GetCurrentDirectory(), environment);
    }

    /// <summary>A start of the same command, in the start directory, with the start environment plus <paramref name="handOff"/>.</summary>
    public ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> handOff)
    {
        var info = new ProcessStartInfo(Executable) { UseShellExecute = false, WorkingDirectory = WorkingDirectory };
        foreach (var argument in Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Clear();
        foreach (var (name, value) in Environment.Concat(handOff))
        {
            info.Environment[name] = value;
        }

        return info;
    }
}
