using System.Text.Json;
using Akka.Configuration;
using ActorGunicorn.Hooks;
using ActorGunicorn.Wsgi;

namespace ActorGunicorn.Configuration;

/// <summary>
/// Reads a gunicorn-style Python configuration into the layer a HOCON file would occupy. The arbiter embeds no
/// Python for this: the interpreter chosen as <c>--python</c> documents executes the file in a subprocess and
/// answers with the settings and hooks it defines (<see cref="PythonConfigReader"/>).
/// </summary>
internal static class PythonConfigFile
{
    /// <summary>Executes the configuration and builds its layer.</summary>
    /// <param name="location">The configuration.</param>
    /// <param name="above">The layers above it (command line, <c>ACTORGUNICORN_CMD_ARGS</c>): their <c>--python</c>,
    /// <c>--pythonpath</c> and <c>--chdir</c> choose the interpreter and its import path.</param>
    /// <param name="environment">The environment (<c>VIRTUAL_ENV</c>, <c>PATH</c>).</param>
    /// <param name="workingDirectory">The directory the server was started in.</param>
    /// <exception cref="SettingsException">No interpreter, the configuration raised, or a value is invalid.</exception>
    public static (Config Layer, PythonConfig Config) Read(
        PythonConfigLocation location, Config above, IReadOnlyDictionary<string, string?> environment, string workingDirectory)
    {
        string answer;
        try
        {
            string executable = PythonInterpreter.ChooseExecutable(
                SettingsTable.Python.Read(above), Variable(environment, "VIRTUAL_ENV"), Variable(environment, "PATH"));
            // As in gunicorn, the configuration runs in the --chdir directory, with it on the import path.
            var settings = ServerSettings.Create(above);
            var directory = settings.Chdir is { } chdir && Directory.Exists(Path.GetFullPath(chdir, workingDirectory))
                ? Path.GetFullPath(chdir, workingDirectory)
                : workingDirectory;
            answer = PythonConfigReader.Read(
                executable, location.Value, SearchPath(settings.PythonPath, directory), PythonConfigLayer.SettingNames, HookNames.All, directory);
        }
        catch (PythonUnavailableException error)
        {
            throw new SettingsException($"cannot read {location.Description}: {error.Message}", error);
        }

        try
        {
            return PythonConfigLayer.Build(PythonConfigAnswer.Parse(answer), location);
        }
        catch (Exception error) when (error is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new SettingsException($"cannot read {location.Description}: the interpreter's answer is not understood ({error.Message})", error);
        }
    }

    /// <summary>
    /// gunicorn's import path for the configuration, the hooks and the application: the <c>pythonpath</c> directories
    /// first, then the working directory (after <c>--chdir</c>).
    /// </summary>
    public static IReadOnlyList<string> SearchPath(IEnumerable<string> pythonPath, string workingDirectory) =>
        [.. pythonPath.Select(entry => Path.GetFullPath(entry, workingDirectory)), workingDirectory];

    private static string? Variable(IReadOnlyDictionary<string, string?> environment, string name) =>
        environment.TryGetValue(name, out var value) ? value : null;
}
