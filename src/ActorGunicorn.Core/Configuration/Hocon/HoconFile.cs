using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace ActorGunicorn.Configuration;

/// <summary>Parses HOCON from files (resolving <c>include "file"</c> beside the including file) and from text.</summary>
internal static class HoconFile
{
    /// <summary>Parses the file at <paramref name="path"/>.</summary>
    /// <exception cref="SettingsException">The file, or a file it includes, cannot be read or parsed; the message names it.</exception>
    public static Config Parse(string path) =>
        CheckValues(Describe(path), Guard(Describe(path), () => ConfigurationFactory.ParseString(ReadChecked(path), IncludesBeside(path))));

    /// <summary>Parses HOCON text that did not come from a file; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="SettingsException">The text is not valid HOCON.</exception>
    public static Config ParseText(string text, string source)
    {
        if (HoconSyntaxCheck.FindUnbalanced(text) is { } problem)
        {
            throw Invalid(source, problem);
        }

        return CheckValues(source, Guard(source, () => ConfigurationFactory.ParseString(text)));
    }

    private static Func<string, HoconRoot> IncludesBeside(string including) => included =>
    {
        var path = Path.GetFullPath(included, Path.GetDirectoryName(including) ?? ".");
        return Guard(Describe(path), () => Parser.Parse(ReadChecked(path), IncludesBeside(path)));
    };

    // Akka's parser throws several exception types (format errors, unresolved substitutions, even null references
    // on malformed input); to the user they all mean "this is not valid HOCON".
    private static T Guard<T>(string source, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (Exception error) when (error is not SettingsException)
        {
            throw Invalid(source, error.Message, error);
        }
    }

    private static Config CheckValues(string source, Config config) =>
        HoconSyntaxCheck.FindKeyWithoutValue(config.Root) is { } key
            ? throw Invalid(source, $"'{key}' has no value (a '=' or '{{' is missing)")
            : config;

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

        return HoconSyntaxCheck.FindUnbalanced(text) is { } problem ? throw Invalid(Describe(path), problem) : text;
    }

    private static string Describe(string path) => $"HOCON file '{path}'";

    private static SettingsException Invalid(string source, string problem, Exception? cause = null) =>
        cause is null
            ? new SettingsException($"cannot parse {source}: {problem}")
            : new SettingsException($"cannot parse {source}: {problem}", cause);
}
