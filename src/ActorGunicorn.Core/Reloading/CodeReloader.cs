namespace ActorGunicorn.Reloading;

/// <summary>
/// <c>--reload</c>'s watcher in the arbiter: file-system notifications (inotify) for the files of a
/// <see cref="CodeWatchPlan"/>, gathered over a short quiet period (an editor's save is several events) into one call
/// of the reload action, which replaces the workers as HUP does: new workers first, and the old ones keep serving if
/// the new ones cannot import the changed code.
/// </summary>
public sealed class CodeReloader : IDisposable
{
    /// <summary>How long changes are gathered before one reload: editors save in several steps (write, rename, chmod).</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(300);

    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly Action<string> _reload;
    private readonly Action<string> _problem;
    private readonly Timer _timer;
    private readonly Lock _lock = new();
    private string? _firstChange;

    private CodeReloader(Action<string> reload, Action<string> problem)
    {
        _reload = reload;
        _problem = problem;
        _timer = new Timer(_ => Fire());
    }

    /// <summary>Starts watching.</summary>
    /// <param name="plan">What to watch; directories that do not exist are reported through <paramref name="problem"/> and skipped.</param>
    /// <param name="reload">Called with the first changed file once changes have stopped for <see cref="QuietPeriod"/>.</param>
    /// <param name="problem">Called with a sentence when a directory cannot be watched (missing, or past the inotify limits).</param>
    public static CodeReloader Start(IReadOnlyList<WatchedFiles> plan, Action<string> reload, Action<string> problem)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var reloader = new CodeReloader(reload, problem);
        foreach (var files in plan)
        {
            reloader.Watch(files);
        }

        return reloader;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        _timer.Dispose();
    }

    private void Watch(WatchedFiles files)
    {
        if (!Directory.Exists(files.Directory))
        {
            _problem($"--reload cannot watch {files.Directory}: no such directory");
            return;
        }

        var watcher = new FileSystemWatcher(files.Directory, files.Pattern)
        {
            IncludeSubdirectories = files.Recursive,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        watcher.Changed += (_, e) => Changed(files.Directory, e.FullPath);
        watcher.Created += (_, e) => Changed(files.Directory, e.FullPath);
        watcher.Renamed += (_, e) => Changed(files.Directory, e.FullPath);
        watcher.Deleted += (_, e) => Changed(files.Directory, e.FullPath);
        watcher.Error += (_, e) => _problem($"--reload stopped watching {files.Directory}: {e.GetException().Message}");
        watcher.EnableRaisingEvents = true;
        _watchers.Add(watcher);
    }

    private void Changed(string directory, string path)
    {
        if (CodeWatchPlan.IsSkipped(directory, path))
        {
            return;
        }

        lock (_lock)
        {
            _firstChange ??= path;
            _timer.Change(QuietPeriod, Timeout.InfiniteTimeSpan);
        }
    }

    private void Fire()
    {
        string? changed;
        lock (_lock)
        {
            (changed, _firstChange) = (_firstChange, null);
        }

        if (changed is not null)
        {
            _reload(changed);
        }
    }
}
