namespace ActorGunicorn.Configuration;

/// <summary>What the command line asked the executable to do.</summary>
public enum RequestedAction
{
    /// <summary>Start the server (no action flag was given).</summary>
    Serve,

    /// <summary><c>-h/--help</c>: print <see cref="CommandLineHelp.Render"/> and exit 0.</summary>
    Help,

    /// <summary><c>-v/--version</c>: print <see cref="CommandLineHelp.VersionText"/> and exit 0.</summary>
    Version,

    /// <summary><c>--check-config</c>: the configuration is valid; load the application, then exit 0 (or 1 if it fails to load).</summary>
    CheckConfig,

    /// <summary><c>--print-config</c>: print <see cref="LoadedConfiguration.RenderEffectiveSettings"/>, then act as <see cref="CheckConfig"/>.</summary>
    PrintConfig,
}
