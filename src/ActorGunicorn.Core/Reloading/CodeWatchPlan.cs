using ActorGunicorn.Application;
using ActorGunicorn.Configuration;

namespace ActorGunicorn.Reloading;

/// <summary>
/// What <c>--reload</c> watches. gunicorn's reloader runs in each worker and watches the files of the modules that
/// worker imported; here the arbiter watches, since it is the one that replaces workers new-first, and it embeds no
/// Python to ask. So it watches the application's source tree: the <c>.py</c> files under the working directory
/// (after <c>--chdir</c>) and the <c>--pythonpath</c> directories, as uvicorn's reloader does, or a .NET
/// application's assemblies; plus <c>--reload-extra-file</c> files and glob patterns.
/// </summary>
public static class CodeWatchPlan
{
    /// <summary>Directory names never watched: caches, version control, virtual environments, installed packages.</summary>
    public static IReadOnlyList<string> SkippedDirectories { get; } = ["__pycache__", "site-packages", "node_modules"];

    /// <summary>The files to watch for <paramref name="settings"/>.</summary>
    /// <param name="settings">The server's settings (<c>app</c>, <c>chdir</c>, <c>pythonpath</c>, <c>reload_extra_files</c>).</param>
    /// <param name="startDirectory">The directory the server started in, against which <c>--chdir</c> is resolved.</param>
    public static IReadOnlyList<WatchedFiles> For(ServerSettings settings, string startDirectory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var root = settings.Chdir is null ? startDirectory : Path.GetFullPath(settings.Chdir, startDirectory);
        var plan = new List<WatchedFiles>();
        if (settings.App is { } app && ApplicationSpec.IsDotNet(app))
        {
            var assembly = Path.GetFullPath(ApplicationSpec.Parse(app).AssemblyPath, root);
            plan.Add(new WatchedFiles(Path.GetDirectoryName(assembly)!, "*.dll", Recursive: false));
        }
        else
        {
            plan.Add(new WatchedFiles(root, "*.py", Recursive: true));
            plan.AddRange(settings.PythonPath.Select(entry => new WatchedFiles(Path.GetFullPath(entry, root), "*.py", Recursive: true)));
        }

        plan.AddRange(settings.ReloadExtraFiles.Select(entry => ForExtraFile(entry, root)));
        return [.. plan.Distinct()];
    }

    /// <summary>
    /// Whether a changed <paramref name="path"/> lies, below the watched <paramref name="directory"/>, in a directory
    /// that <see cref="SkippedDirectories"/> names or a hidden one (<c>.git</c>, <c>.venv</c>).
    /// </summary>
    /// <param name="directory">The watched directory.</param>
    /// <param name="path">The changed file's full path.</param>
    public static bool IsSkipped(string directory, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var below = Path.GetDirectoryName(Path.GetRelativePath(directory, path)) ?? string.Empty;
        return below.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries)
            .Any(name => (name.StartsWith('.') && name != "..") || SkippedDirectories.Contains(name));
    }

    // "templates/**/*.html" watches templates/ and below for *.html; "conf/*.ini" conf/ alone; "settings.toml" one file.
    private static WatchedFiles ForExtraFile(string entry, string root)
    {
        var full = Path.GetFullPath(entry, root);
        var segments = full.Split(Path.DirectorySeparatorChar);
        var firstWild = Array.FindIndex(segments, segment => segment.IndexOfAny(['*', '?']) >= 0);
        var directoryEnd = firstWild < 0 || firstWild == segments.Length - 1 ? segments.Length - 1 : firstWild;
        var directory = string.Join(Path.DirectorySeparatorChar, segments[..directoryEnd]);
        var recursive = segments[directoryEnd..^1].Length > 0;
        return new WatchedFiles(directory.Length == 0 ? "/" : directory, segments[^1], recursive);
    }
}
