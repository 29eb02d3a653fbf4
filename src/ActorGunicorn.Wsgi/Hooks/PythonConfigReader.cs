using System.Diagnostics;

namespace ActorGunicorn.Wsgi;

/// <summary>
/// Reads a gunicorn-style Python configuration (<c>gunicorn.conf.py</c>, or a module) without embedding Python: the
/// chosen interpreter executes it in a subprocess and answers, as JSON, with the module-level names that are
/// settings, the hooks it defines, the names whose values cannot be used, and those it ignored, or with the
/// traceback of the error that stopped it. The configuration's own output goes to standard error.
/// </summary>
public static class PythonConfigReader
{
    private const string Module = "actorgunicorn_hooks";

    private static readonly Lazy<string> Script = new(() =>
    {
        using var stream = typeof(PythonConfigReader).Assembly.GetManifestResourceStream(Module + ".py")
            ?? throw new InvalidOperationException($"The resource {Module}.py is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>Executes the configuration and returns the interpreter's JSON answer.</summary>
    /// <param name="executable">The interpreter, as <see cref="PythonInterpreter.ChooseExecutable"/> chose it.</param>
    /// <param name="location"><c>python:MODULE</c> or <c>file:PATH</c>.</param>
    /// <param name="searchPath">Directories put in front of <c>sys.path</c>, first one first.</param>
    /// <param name="settingNames">The names that are settings.</param>
    /// <param name="hookNames">The names that are hooks.</param>
    /// <param name="workingDirectory">Where the interpreter runs (relative paths in the configuration start there).</param>
    /// <returns>The answer: <c>{"settings": {…}, "hooks": […], "invalid": {…}, "ignored": […]}</c> or <c>{"error": "traceback"}</c>.</returns>
    /// <exception cref="PythonUnavailableException">The interpreter cannot be run, or it failed without answering.</exception>
    public static string Read(
        string executable,
        string location,
        IReadOnlyList<string> searchPath,
        IEnumerable<string> settingNames,
        IEnumerable<string> hookNames,
        string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(searchPath);
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script.Value);
        start.ArgumentList.Add(location);
        start.ArgumentList.Add(string.Join(':', searchPath));
        start.ArgumentList.Add(string.Join(',', settingNames));
        start.ArgumentList.Add(string.Join(',', hookNames));
        try
        {
            using var process = Process.Start(start)!;
            string answer = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 && answer.Length > 0
                ? answer
                : throw new PythonUnavailableException($"'{executable}' failed while reading {location} (exit {process.ExitCode}).");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new PythonUnavailableException($"Cannot run the Python interpreter '{executable}': {ex.Message}");
        }
    }
}
