using System.Reflection;
using ActorGunicorn.Configuration;
using ActorGunicorn.Gateway;
using ActorGunicorn.Wsgi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorGunicorn.Application;

/// <summary>
/// Turns the <c>APP</c> argument into a running <see cref="IGatewayApplication"/>: a .NET assembly
/// (<c>App.dll[:Type]</c>) or else a WSGI application (<c>module[:expression]</c>) on an embedded CPython. Every
/// failure is classified the way
/// gunicorn's <c>import_app</c> does: a wrong name is an <see cref="ApplicationLoadException"/> (exit 4), a failure of
/// the code itself is an <see cref="ApplicationBootException"/> (exit 3).
/// </summary>
public static class ApplicationLoader
{
    /// <summary>Loads the application the settings name, .NET or WSGI.</summary>
    /// <param name="settings">The settings: the application, and for WSGI the interpreter, paths and threads.</param>
    /// <param name="logger">The error log, for the WSGI gateway's warnings.</param>
    /// <param name="hooks">The Python configuration's hooks in this process: a WSGI application runs its request hooks.</param>
    /// <exception cref="ApplicationLoadException">The spec names nothing usable.</exception>
    /// <exception cref="ApplicationBootException">The code failed to load or start, or Python is unusable.</exception>
    public static IGatewayApplication Load(ServerSettings settings, ILogger? logger = null, PythonHooks? hooks = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var app = settings.App ?? throw new ApplicationLoadException("No application was given.");
        return ApplicationSpec.IsDotNet(app) ? Load(app) : LoadWsgi(app, settings, logger ?? NullLogger.Instance, hooks);
    }

    /// <summary>Loads the assembly, finds the application type and creates the instance.</summary>
    /// <param name="app">The <c>APP</c> argument.</param>
    /// <exception cref="ApplicationLoadException">The spec, the type or the interface is wrong.</exception>
    /// <exception cref="ApplicationBootException">The assembly cannot be loaded or the constructor threw.</exception>
    public static IGatewayApplication Load(string app)
    {
        var spec = ApplicationSpec.Parse(app);
        var assembly = LoadAssembly(spec);
        var type = spec.TypeName is null ? FindApplicationType(assembly, spec) : ResolveNamedType(assembly, spec);
        return Instantiate(type);
    }

    private static WsgiApplication LoadWsgi(string app, ServerSettings settings, ILogger logger, PythonHooks? hooks)
    {
        var options = new WsgiOptions
        {
            App = app,
            Python = settings.Python,
            // gunicorn puts --pythonpath first, then the working directory (which --chdir has set).
            SearchPath = [.. settings.PythonPath.Select(Path.GetFullPath), Directory.GetCurrentDirectory()],
            Threads = settings.Threads,
            MultiProcess = settings.Workers > 1,
            SendFile = settings.SendFile,
            ServerSoftware = $"{CommandLineHelp.ProgramName}/{CommandLineHelp.Version}",
            Logger = logger,
            Hooks = hooks,
        };
        try
        {
            return WsgiApplication.Load(options);
        }
        catch (WsgiAppImportException ex)
        {
            throw new ApplicationLoadException(ex.Message);
        }
        catch (PythonUnavailableException ex)
        {
            throw new ApplicationBootException(ex.Message);
        }
        catch (PythonException ex)
        {
            throw new ApplicationBootException($"Failed to import the application '{app}':", ex);
        }
    }

    private static Assembly LoadAssembly(ApplicationSpec spec)
    {
        var path = Path.GetFullPath(spec.AssemblyPath);
        if (!File.Exists(path))
        {
            throw new ApplicationBootException($"Cannot load '{spec.AssemblyPath}': the file does not exist ({path})");
        }

        try
        {
            return new ApplicationLoadContext(path).LoadFromAssemblyPath(path);
        }
        catch (Exception ex) when (ex is BadImageFormatException or FileLoadException or FileNotFoundException)
        {
            // The operator's mistake, not a bug: the message says it all, no stack trace.
            throw new ApplicationBootException($"Cannot load '{spec.AssemblyPath}': {ex.Message}");
        }
    }

    private static Type ResolveNamedType(Assembly assembly, ApplicationSpec spec)
    {
        Type? type;
        try
        {
            type = assembly.GetType(spec.TypeName!, throwOnError: false);
        }
        catch (Exception ex) when (ex is FileLoadException or FileNotFoundException or BadImageFormatException or TypeLoadException)
        {
            throw new ApplicationBootException($"Cannot load type '{spec.TypeName}' from '{spec.AssemblyPath}': {ex.Message}");
        }

        if (type is null)
        {
            throw new ApplicationLoadException($"Failed to find type '{spec.TypeName}' in '{spec.AssemblyPath}'.");
        }

        if (!typeof(IGatewayApplication).IsAssignableFrom(type))
        {
            throw new ApplicationLoadException(
                $"'{spec.TypeName}' in '{spec.AssemblyPath}' does not implement {typeof(IGatewayApplication).FullName}.");
        }

        return type;
    }

    private static Type FindApplicationType(Assembly assembly, ApplicationSpec spec)
    {
        Type[] exported;
        try
        {
            exported = assembly.GetExportedTypes();
        }
        catch (Exception ex) when (ex is ReflectionTypeLoadException or FileLoadException or FileNotFoundException or TypeLoadException)
        {
            throw new ApplicationBootException($"Cannot read the types of '{spec.AssemblyPath}': {ex.Message}");
        }

        var candidates = exported
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IGatewayApplication).IsAssignableFrom(t))
            .ToList();
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw new ApplicationLoadException(
                $"'{spec.AssemblyPath}' has no public class implementing {typeof(IGatewayApplication).FullName}."),
            _ => throw new ApplicationLoadException(
                $"'{spec.AssemblyPath}' has several application types ({string.Join(", ", candidates.Select(t => t.FullName))}); " +
                $"name one as {spec.AssemblyPath}:Namespace.Type."),
        };
    }

    private static IGatewayApplication Instantiate(Type type)
    {
        if (type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new ApplicationLoadException($"'{type.FullName}' needs a public parameterless constructor.");
        }

        try
        {
            return (IGatewayApplication)Activator.CreateInstance(type)!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw new ApplicationBootException($"'{type.FullName}' threw while starting: {ex.InnerException.Message}", ex.InnerException);
        }
    }
}
