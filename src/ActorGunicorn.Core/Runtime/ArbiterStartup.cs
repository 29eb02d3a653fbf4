using System.Collections;
using System.Diagnostics;
using ActorGunicorn.Transport;

namespace ActorGunicorn.Runtime;

/// <summary>
/// How the arbiter was started: executable, arguments, working directory and environment, captured before
/// <c>--chdir</c> and <c>-e</c> change the process (gunicorn's <c>START_CTX</c> and <c>env_orig</c>). A USR2 child and a
/// daemon are started from it, so they read their configuration exactly as the first arbiter did.
/// </summary>
/// <param name="Executable">The executable as the command named it (the dotnet host under <c>dotnet actorgunicorn.dll</c>).</param>
/// <param name="Arguments">The arguments after it, with the entry assembly first under the dotnet host.</param>
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
        var directory = Directory.GetCurrentDirectory();
        var (executable, arguments) = FromCommandLine(OwnCommandLine(), directory, System.Environment.GetEnvironmentVariable("PATH"))
            ?? FromRuntime(args);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            if (entry.Value is string value && !HandOffVariables.Contains((string)entry.Key))
            {
                environment[(string)entry.Key] = value;
            }
        }

        return new ArbiterStartup(executable, arguments, directory, environment);
    }

    /// <summary>
    /// The command as it was typed (gunicorn re-executes <c>sys.argv</c>): argv[0] made absolute but not resolved
    /// through symbolic links, so that USR2 after a <c>current</c> link is pointed at a new release starts the new
    /// release; a bare name is looked up in <paramref name="path"/> as the shell did. Null when argv[0] cannot be found.
    /// </summary>
    internal static (string Executable, IReadOnlyList<string> Arguments)? FromCommandLine(IReadOnlyList<string> argv, string directory, string? path)
    {
        if (argv.Count == 0 || argv[0].Length == 0)
        {
            return null;
        }

        var executable = argv[0].Contains('/', StringComparison.Ordinal)
            ? Path.GetFullPath(argv[0], directory)
            : (path ?? string.Empty).Split(':')
                .Select(entry => Path.GetFullPath(Path.Combine(entry.Length == 0 ? "." : entry, argv[0]), directory))
                .FirstOrDefault(File.Exists);
        return executable is null ? null : (executable, argv.Skip(1).ToList());
    }

    // This process's argv, as the kernel keeps it.
    private static string[] OwnCommandLine()
    {
        try
        {
            return System.Text.Encoding.UTF8.GetString(File.ReadAllBytes("/proc/self/cmdline")).Split('\0').SkipLast(1).ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    // Without /proc: the running executable, resolved, and the entry assembly again under the dotnet host.
    private static (string Executable, IReadOnlyList<string> Arguments) FromRuntime(string[] args)
    {
        var executable = System.Environment.ProcessPath ?? throw new InvalidOperationException("cannot find the server executable");
        var arguments = new List<string>();
        if (Path.GetFileNameWithoutExtension(executable) == "dotnet")
        {
            arguments.Add(System.Reflection.Assembly.GetEntryAssembly()?.Location is { Length: > 0 } entry
                ? entry
                : throw new InvalidOperationException("cannot find the entry assembly"));
        }

        arguments.AddRange(args);
        return (executable, arguments);
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
