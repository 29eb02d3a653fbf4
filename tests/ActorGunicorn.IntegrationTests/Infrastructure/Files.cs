namespace ActorGunicorn.IntegrationTests.Infrastructure;

/// <summary>Waits for files the server creates, by inotify events rather than polling.</summary>
internal static class Files
{
    public static async Task WaitForAsync(string path, TimeSpan timeout)
    {
        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path));
        watcher.Created += (_, _) => created.TrySetResult();
        watcher.EnableRaisingEvents = true;
        // Checked after the watcher is armed, so a file created in between is not missed.
        if (File.Exists(path))
        {
            return;
        }

        await created.Task.WaitAsync(timeout);
    }

    /// <summary>Waits until the file exists and contains <paramref name="text"/>, woken by inotify on every change.</summary>
    public static async Task WaitForContentAsync(string path, string text, TimeSpan timeout)
    {
        using var changed = new SemaphoreSlim(0);
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path));
        watcher.Created += (_, _) => changed.Release();
        watcher.Changed += (_, _) => changed.Release();
        watcher.EnableRaisingEvents = true;
        var deadline = DateTime.UtcNow + timeout;
        while (!(File.Exists(path) && (await File.ReadAllTextAsync(path)).Contains(text, StringComparison.Ordinal)))
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await changed.WaitAsync(left))
            {
                throw new TimeoutException($"'{text}' did not appear in {path}");
            }
        }
    }
}
