namespace ActorGunicorn.Configuration;

/// <summary>
/// A Python configuration as gunicorn's <c>-c</c> names it: <c>python:MODULE</c> (an importable module),
/// <c>file:PATH</c>, or a path ending in <c>.py</c>. Kept in gunicorn's own form, <c>python:MODULE</c> or
/// <c>file:/absolute/path</c>, which is what the Python side reads.
/// </summary>
/// <param name="Value">The canonical form.</param>
internal sealed record PythonConfigLocation(string Value)
{
    private const string ModulePrefix = "python:";
    private const string FilePrefix = "file:";

    /// <summary>The file's full path, or null for a module.</summary>
    public string? FilePath => Value.StartsWith(FilePrefix, StringComparison.Ordinal) ? Value[FilePrefix.Length..] : null;

    /// <summary>How error messages name it.</summary>
    public string Description => FilePath is { } path
        ? $"Python config file '{path}'"
        : $"Python config module '{Value[ModulePrefix.Length..]}'";

    /// <summary>
    /// The Python configuration a <c>-c</c> argument names, or null when it names a HOCON file (any path not ending
    /// in <c>.py</c>). Relative paths are resolved against <paramref name="workingDirectory"/>.
    /// </summary>
    /// <exception cref="SettingsException"><c>python:</c> or <c>file:</c> with nothing after it.</exception>
    public static PythonConfigLocation? FromArgument(string argument, string workingDirectory)
    {
        if (argument.StartsWith(ModulePrefix, StringComparison.Ordinal))
        {
            var module = argument[ModulePrefix.Length..].Trim();
            return module.Length > 0
                ? new PythonConfigLocation(ModulePrefix + module)
                : throw new SettingsException($"{SettingsTable.ConfigFile.Label}: '{argument}' names no module");
        }

        if (argument.StartsWith(FilePrefix, StringComparison.Ordinal))
        {
            var path = argument[FilePrefix.Length..];
            return path.Length > 0
                ? ForFile(Path.GetFullPath(path, workingDirectory))
                : throw new SettingsException($"{SettingsTable.ConfigFile.Label}: '{argument}' names no file");
        }

        return argument.EndsWith(".py", StringComparison.Ordinal) ? ForFile(Path.GetFullPath(argument, workingDirectory)) : null;
    }

    /// <summary>A Python file given by its full path.</summary>
    public static PythonConfigLocation ForFile(string fullPath) => new(FilePrefix + fullPath);

    /// <inheritdoc />
    public override string ToString() => Value;
}
