using System.Globalization;

namespace ActorGunicorn.Runtime;

/// <summary>gunicorn's <c>--pid</c> file: the arbiter's pid, written at start and removed at exit if still ours.</summary>
internal sealed class PidFile : IDisposable
{
    private string _path;
    private readonly string _content;

    private PidFile(string path, string content)
    {
        _path = path;
        _content = content;
    }

    /// <summary>Writes the file.</summary>
    /// <exception cref="IOException">It cannot be written.</exception>
    public static PidFile Create(string path)
    {
        var content = Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n";
        File.WriteAllText(path, content);
        return new PidFile(path, content);
    }

    /// <summary>Moves the file to <paramref name="path"/> (a promoted USR2 child takes the configured name).</summary>
    /// <exception cref="IOException">It cannot be moved.</exception>
    public void Rename(string path)
    {
        File.Move(_path, path, overwrite: true);
        _path = path;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            // Another arbiter (after a binary upgrade) may own the file now: leave it alone then.
            if (File.Exists(_path) && File.ReadAllText(_path) == _content)
            {
                File.Delete(_path);
            }
        }
        catch (IOException)
        {
        }
    }
}
