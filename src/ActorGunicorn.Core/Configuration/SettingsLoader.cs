using Akka.Configuration;

namespace ActorGunicorn.Configuration;

/// <summary>
/// Builds the configuration from its layers, as gunicorn's <c>Application.load_config</c> does. Later layers win:
/// <list type="number">
/// <item><c>reference.conf</c>, the table's defaults;</item>
/// <item>defaults from the environment (<c>PORT</c> for <c>bind</c>, <c>WEB_CONCURRENCY</c> for <c>workers</c>);</item>
/// <item>the configuration file named by <c>-c</c> on the command line, else in <c>ACTORGUNICORN_CMD_ARGS</c>, else
/// <c>./actorgunicorn.conf</c> if it exists, else <c>./gunicorn.conf.py</c> if it exists: a HOCON file, or a Python
/// one as gunicorn reads it (<c>python:MODULE</c>, <c>file:PATH</c>, a path ending in <c>.py</c>;
/// see <see cref="PythonConfigFile"/>);</item>
/// <item><c>ACTORGUNICORN_CMD_ARGS</c>, split like a shell line and parsed like the command line;</item>
/// <item>the command line.</item>
/// </list>
/// Within one layer a list (<c>-b</c>, <c>-e</c>) is built from every occurrence; across layers the higher list
/// replaces the lower one.
/// </summary>
public static class SettingsLoader
{
    /// <summary>The environment variable holding extra arguments, gunicorn's <c>GUNICORN_CMD_ARGS</c>.</summary>
    public const string CommandArgumentsVariable = "ACTORGUNICORN_CMD_ARGS";

    /// <summary>The file read from the working directory when no <c>-c</c> is given, gunicorn's <c>gunicorn.conf.py</c>.</summary>
    public const string DefaultConfigFileName = "actorgunicorn.conf";

    /// <summary>gunicorn's own default file, read from the working directory when no -c is given and <see cref="DefaultConfigFileName"/> does not exist.</summary>
    public const string DefaultPythonConfigFileName = "gunicorn.conf.py";

    /// <summary>Loads the configuration.</summary>
    /// <param name="args">The command-line arguments, without the program name.</param>
    /// <param name="environment">The environment variables; passed in rather than read so that tests control them.</param>
    /// <param name="workingDirectory">The directory relative paths (<c>-c</c>, the default file) are resolved against.</param>
    /// <returns>
    /// The merged configuration, the settings and the action. For <see cref="RequestedAction.Help"/> and
    /// <see cref="RequestedAction.Version"/> on the command line nothing else is read, as argparse exits on those
    /// flags at once, so help works even when the configuration is broken; the configuration is then the reference.
    /// </returns>
    /// <exception cref="CommandLineException">The command line or <c>ACTORGUNICORN_CMD_ARGS</c> cannot be parsed.</exception>
    /// <exception cref="SettingsException">A file is missing or invalid, or a value is invalid.</exception>
    public static LoadedConfiguration Load(IReadOnlyList<string> args, IReadOnlyDictionary<string, string?> environment, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(workingDirectory);

        var commandLine = CommandLineParser.Parse(args);
        if (ImmediateAction(commandLine) is { } immediate)
        {
            return Defaults(immediate);
        }

        var fromEnvironment = ParseEnvironmentArguments(environment);
        if (ImmediateAction(fromEnvironment) is { } immediateFromEnvironment)
        {
            return Defaults(immediateFromEnvironment);
        }

        var above = commandLine.ToLayer().WithFallback(fromEnvironment.ToLayer());
        var (configFile, pythonConfig) = FindConfigFile(commandLine, fromEnvironment, workingDirectory);
        var (fileLayer, python) = pythonConfig is null
            ? (configFile is null ? Config.Empty : HoconFile.Parse(configFile), null)
            : PythonConfigFile.Read(pythonConfig, above, environment, workingDirectory);
        var config = above
            .WithFallback(fileLayer)
            .WithFallback(EnvironmentDefaults(environment))
            .WithFallback(ReferenceConfig.Load());

        return new LoadedConfiguration(config, ServerSettings.Create(config), Action(commandLine, fromEnvironment), configFile)
        {
            PythonConfig = python,
        };
    }

    /// <summary>
    /// Rebuilds the configuration in a worker process from the text the arbiter produced with
    /// <see cref="LoadedConfiguration.RenderForWorker"/>, over the same <c>reference.conf</c>. The environment and
    /// files are not consulted again: the text already holds every layer.
    /// </summary>
    /// <param name="renderedConfiguration">The HOCON text from <see cref="LoadedConfiguration.RenderForWorker"/>.</param>
    /// <returns>The configuration and settings, equal to the arbiter's, with <see cref="RequestedAction.Serve"/>.</returns>
    /// <exception cref="SettingsException">The text is not valid HOCON or holds an invalid value.</exception>
    public static LoadedConfiguration LoadForWorker(string renderedConfiguration)
    {
        ArgumentNullException.ThrowIfNull(renderedConfiguration);
        var config = HoconFile.ParseText(renderedConfiguration, "the worker configuration").WithFallback(ReferenceConfig.Load());
        return new LoadedConfiguration(config, ServerSettings.Create(config), RequestedAction.Serve, configFile: null)
        {
            PythonConfig = PythonConfig.Read(config),
        };
    }

    private static RequestedAction? ImmediateAction(ParsedCommandLine line) =>
        line.Has(SettingsTable.Help) ? RequestedAction.Help
        : line.Has(SettingsTable.Version) ? RequestedAction.Version
        : null;

    private static LoadedConfiguration Defaults(RequestedAction action)
    {
        var reference = ReferenceConfig.Load();
        return new LoadedConfiguration(reference, ServerSettings.Create(reference), action, configFile: null);
    }

    private static RequestedAction Action(ParsedCommandLine commandLine, ParsedCommandLine fromEnvironment)
    {
        bool Asked(SettingDefinition flag) => commandLine.Has(flag) || fromEnvironment.Has(flag);
        return Asked(SettingsTable.PrintConfig) ? RequestedAction.PrintConfig
            : Asked(SettingsTable.CheckConfig) ? RequestedAction.CheckConfig
            : RequestedAction.Serve;
    }

    private static ParsedCommandLine ParseEnvironmentArguments(IReadOnlyDictionary<string, string?> environment)
    {
        if (!environment.TryGetValue(CommandArgumentsVariable, out var line) || line is null)
        {
            return CommandLineParser.Parse([]);
        }

        try
        {
            return CommandLineParser.Parse(ShellWords.Split(line));
        }
        catch (CommandLineException error)
        {
            throw new CommandLineException($"{CommandArgumentsVariable}: {error.Message}", error);
        }
    }

    // The HOCON file, or the Python configuration, to read; both null when there is none.
    private static (string? HoconFile, PythonConfigLocation? Python) FindConfigFile(
        ParsedCommandLine commandLine, ParsedCommandLine fromEnvironment, string workingDirectory)
    {
        var named = commandLine.Last(SettingsTable.ConfigFile) ?? fromEnvironment.Last(SettingsTable.ConfigFile);
        if (named is null)
        {
            var fallback = Path.GetFullPath(DefaultConfigFileName, workingDirectory);
            var pythonFallback = Path.GetFullPath(DefaultPythonConfigFileName, workingDirectory);
            return File.Exists(fallback) ? (fallback, null)
                : File.Exists(pythonFallback) ? (null, PythonConfigLocation.ForFile(pythonFallback))
                : (null, null);
        }

        if (PythonConfigLocation.FromArgument(named, workingDirectory) is { } python)
        {
            return python.FilePath is null || File.Exists(python.FilePath)
                ? (null, python)
                : throw new SettingsException($"{SettingsTable.ConfigFile.Label}: '{named}' does not exist");
        }

        var path = Path.GetFullPath(named, workingDirectory);
        return File.Exists(path)
            ? (path, null)
            : throw new SettingsException($"{SettingsTable.ConfigFile.Label}: '{named}' does not exist");
    }

    // The layer just above reference.conf. A bad variable is an error even when a higher layer overrides the
    // setting: gunicorn fails on a bad WEB_CONCURRENCY at start-up too, and a silent typo would surprise later.
    private static Config EnvironmentDefaults(IReadOnlyDictionary<string, string?> environment)
    {
        var arguments = new Dictionary<SettingDefinition, IReadOnlyList<string>>();
        foreach (var setting in SettingsTable.All)
        {
            if (setting.EnvironmentDefault is { } source
                && environment.TryGetValue(source.Variable, out var value)
                && !string.IsNullOrWhiteSpace(value))
            {
                arguments[setting] = [source.ToArgument(value.Trim())];
                Validate(setting, source, value, HoconLayer.From([new(setting, arguments[setting])]));
            }
        }

        return HoconLayer.From(arguments);
    }

    private static void Validate(SettingDefinition setting, EnvironmentDefault source, string value, Config layer)
    {
        try
        {
            setting.Check(layer);
        }
        catch (SettingsException error)
        {
            throw new SettingsException(
                $"environment variable {source.Variable}: '{value}' is not a valid default for {setting.Label}: {error.Problem}", error);
        }
    }
}
