namespace ActorGunicorn.Configuration;

/// <summary>
/// A setting has a value that cannot be used, or a configuration file cannot be read. The message names the setting
/// (its command-line flags and HOCON key) or the file, and the offending value.
/// </summary>
/// <remarks>
/// gunicorn reports these after argument parsing ("Error: …", exit status 1), as opposed to
/// <see cref="CommandLineException"/>, which mirrors argparse's errors (exit status 2).
/// </remarks>
public sealed class SettingsException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public SettingsException()
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What is wrong, naming the setting or file and the value.</param>
    public SettingsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">What is wrong, naming the setting or file and the value.</param>
    /// <param name="innerException">The error that caused this one.</param>
    public SettingsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal SettingsException(SettingDefinition setting, string problem)
        : base($"{setting.Label}: {problem}")
    {
        SettingName = setting.Name;
        Problem = problem;
    }

    /// <summary>The gunicorn name of the setting at fault (for example <c>workers</c>), when a single setting is.</summary>
    public string? SettingName { get; }

    /// <summary>The message without the setting's label, so callers can restate it in their own context.</summary>
    internal string? Problem { get; }
}
