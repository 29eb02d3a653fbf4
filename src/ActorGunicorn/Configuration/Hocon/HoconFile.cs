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
        var text = Read(path);
        try
        {
            return ConfigurationFactory.ParseString(text, IncludesBeside(path));
        }
        catch (Exception error) when (error is not SettingsException)
        {
            // Akka's parser throws several exception types (format errors, unresolved substitutions, even null
            // references on malformed input); to the user they are all "this file is not valid HOCON".
            throw new SettingsException($"cannot parse HOCON file '{path}': {error.Message}", error);
        }
    }

    private static Func<string, HoconRoot> IncludesBeside(string including) => included =>
    {
        var path = Path.GetFullPath(included, Path.GetDirectoryName(including) ?? ".");
        var text = Read(path);
        try
        {
            return Parser.Parse(text, IncludesBeside(path));
        }
        catch (Exception error) when (error is not SettingsException)
        {
            throw new SettingsException($"cannot parse HOCON file '{path}' (included by '{including}'): {error.Message}", error);
        }
    };

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new SettingsException($"cannot read HOCON file '{path}': {error.Message}", error);
        }
    }
}
