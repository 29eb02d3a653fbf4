using System.Diagnostics;
using System.Globalization;

namespace ActorGunicorn.Wsgi;

/// <summary>
/// The Python installation a worker embeds: the interpreter the operator chose and the shared libpython that
/// interpreter's <c>sysconfig</c> names. The interpreter itself is run once to ask, so a virtualenv, pyenv or a
/// distribution Python are all found the way their own tools find them.
/// </summary>
/// <param name="Executable">The interpreter as it knows itself (<c>sys.executable</c>); its path makes the embedded
/// interpreter find the same prefix and virtualenv.</param>
/// <param name="Version">The interpreter's version, e.g. <c>3.11.2</c>.</param>
/// <param name="Library">The shared library to load.</param>
public sealed record PythonInterpreter(string Executable, string Version, string Library)
{
    // Prints what the embedding needs, one item per line; only the standard library is used.
    private const string ProbeScript =
        "import sys, sysconfig\n" +
        "v = sysconfig.get_config_var\n" +
        "print(sys.executable)\n" +
        "print('%d.%d.%d' % sys.version_info[:3])\n" +
        "print(v('Py_ENABLE_SHARED') or 0)\n" +
        "print(v('LIBDIR') or '')\n" +
        "print(v('MULTIARCH') or '')\n" +
        "print(v('INSTSONAME') or '')\n" +
        "print(v('LDLIBRARY') or '')\n";

    /// <summary>The Debian package that ships this version's shared library, e.g. <c>libpython3.11</c>.</summary>
    public string DebianPackage => DebianPackageFor(Version);

    /// <summary>
    /// Chooses the interpreter as the <c>--python</c> setting documents: <paramref name="python"/> if given, else
    /// <c>$VIRTUAL_ENV/bin/python</c>, else <c>python3</c> on <c>PATH</c>.
    /// </summary>
    /// <param name="python">The <c>--python</c> setting, or null.</param>
    /// <param name="virtualEnv">The value of <c>VIRTUAL_ENV</c>, or null.</param>
    /// <param name="searchPath">The value of <c>PATH</c>, or null.</param>
    /// <returns>The path of the interpreter to ask.</returns>
    /// <exception cref="PythonUnavailableException">No interpreter was given and none is on PATH.</exception>
    public static string ChooseExecutable(string? python, string? virtualEnv, string? searchPath)
    {
        if (!string.IsNullOrEmpty(python))
        {
            return python.Contains('/', StringComparison.Ordinal) ? Path.GetFullPath(python) : FindOnPath(python, searchPath)
                ?? throw new PythonUnavailableException($"--python: '{python}' is not on PATH.");
        }

        if (!string.IsNullOrEmpty(virtualEnv))
        {
            return Path.Combine(virtualEnv, "bin", "python");
        }

        return FindOnPath("python3", searchPath) ?? throw new PythonUnavailableException(
            "No Python interpreter: python3 is not on PATH and neither --python nor VIRTUAL_ENV is set. "
            + "Install Debian's python3 and libpython3.11 (apt-get install python3 libpython3.11), or pass --python PATH.");
    }

    /// <summary>Asks <paramref name="executable"/> where its shared library is.</summary>
    /// <exception cref="PythonUnavailableException">It does not run, or has no shared library.</exception>
    public static PythonInterpreter Probe(string executable)
    {
        if (!File.Exists(executable))
        {
            throw new PythonUnavailableException($"The Python interpreter '{executable}' does not exist.");
        }

        var answer = Run(executable);
        return FromProbeOutput(executable, answer, File.Exists);
    }

    /// <summary>Reads the probe's output and picks the first library file that exists.</summary>
    internal static PythonInterpreter FromProbeOutput(string executable, string output, Func<string, bool> fileExists)
    {
        var lines = output.Split('\n');
        if (lines.Length < 7)
        {
            throw new PythonUnavailableException($"'{executable}' did not answer like a Python interpreter: {output.Trim()}");
        }

        string self = lines[0].Trim().Length > 0 ? lines[0].Trim() : executable;
        string version = lines[1].Trim();
        string shared = lines[2].Trim();
        string libDir = lines[3].Trim();
        string multiArch = lines[4].Trim();
        string soName = lines[5].Trim();
        string ldLibrary = lines[6].Trim();
        string debianPackage = DebianPackageFor(version);
        if (!IsSupported(version))
        {
            throw new PythonUnavailableException($"Python {version} at '{self}' is too old: ActorGunicorn needs Python 3.9 or later.");
        }

        var candidates = new List<string>();
        foreach (var name in new[] { soName, ldLibrary }.Where(n => n.Contains(".so", StringComparison.Ordinal)))
        {
            candidates.Add(Path.Combine(libDir, name));
            if (multiArch.Length > 0)
            {
                candidates.Add(Path.Combine(libDir, multiArch, name));
                candidates.Add(Path.Combine("/usr/lib", multiArch, name));
            }
        }

        var library = candidates.FirstOrDefault(fileExists);
        if (library is not null)
        {
            return new PythonInterpreter(self, version, library);
        }

        string why = shared == "1"
            ? $"its shared library ({(soName.Length > 0 ? soName : "libpython")}) is not installed"
            : "it was built without a shared libpython (--enable-shared)";
        throw new PythonUnavailableException(
            $"Python {version} at '{self}' cannot be embedded: {why}. Install Debian's {debianPackage} "
            + $"(apt-get install {debianPackage}), or choose another interpreter with --python PATH.");
    }

    private static bool IsSupported(string version)
    {
        var parts = version.Split('.');
        return parts.Length >= 2
            && int.TryParse(parts[0], CultureInfo.InvariantCulture, out int major)
            && int.TryParse(parts[1], CultureInfo.InvariantCulture, out int minor)
            && (major, minor).CompareTo((3, 9)) >= 0;
    }

    private static string DebianPackageFor(string version) => $"libpython{MajorMinor(version)}";

    private static string MajorMinor(string version) => string.Join('.', version.Split('.').Take(2));

    private static string? FindOnPath(string name, string? searchPath) =>
        (searchPath ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    private static string Run(string executable)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(ProbeScript);
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill();
                throw new PythonUnavailableException($"'{executable}' did not answer within 30 s.");
            }

            return process.ExitCode == 0
                ? output.Result
                : throw new PythonUnavailableException($"'{executable}' failed (exit {process.ExitCode}): {error.Result.Trim()}");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new PythonUnavailableException($"Cannot run the Python interpreter '{executable}': {ex.Message}");
        }
    }
}
