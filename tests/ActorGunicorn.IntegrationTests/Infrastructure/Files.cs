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
}
