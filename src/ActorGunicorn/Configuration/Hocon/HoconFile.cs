using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace ActorGunicorn.Configuration;

/// <summary>Reads a HOCON file, resolving <c>include "file"</c> relative to the including file.</summary>
internal static class HoconFile
{
    /// <summary>Parses the file at <paramref name="path"/>.</summary>
    /// <exception cref="SettingsException">The file, or a file it includes, cannot be read or parsed; the message names it.</exception>
    public static Config Parse(string path)
    {
        var config = Guard(path, () => ConfigurationFactory.ParseString(ReadChecked(path), IncludesBeside(path)));
        return HoconSyntaxCheck.FindKeyWithoutValue(config.Root) is { } key
            ? throw Invalid(path, $"'{key}' has no value (a '=' or '{{' is missing)")
            : config;
    }

    private static Func<string, HoconRoot> IncludesBeside(string including) => included =>
    {
        var path = Path.GetFullPath(included, Path.GetDirectoryName(including) ?? ".");
        return Guard(path, () => Parser.Parse(ReadChecked(path), IncludesBeside(path)));
    };

    // Akka's parser throws several exception types (format errors, unresolved substitutions, even null references
    // on malformed input); to the user they all mean "this file is not valid HOCON".
    private static T Guard<T>(string path, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (Exception error) when (error is not SettingsException)
        {
            throw Invalid(path, error.Message, error);
        }
    }

    private static string ReadChecked(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new SettingsException($"cannot read HOCON file '{path}': {error.Message}", error);
        }

        return HoconSyntaxCheck.FindUnbalanced(text) is { } problem ? throw Invalid(path, problem) : text;
    }

    private static SettingsException Invalid(string path, string problem, Exception? cause = null) =>
        cause is null
            ? new SettingsException($"cannot parse HOCON file '{path}': {problem}")
            : new SettingsException($"cannot parse HOCON file '{path}': {problem}", cause);
}
