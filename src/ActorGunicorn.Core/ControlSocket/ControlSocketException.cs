namespace ActorGunicorn.ControlSocket;

/// <summary>The control socket cannot be created; the message names the path and why.</summary>
internal class ControlSocketException : Exception
{
    public ControlSocketException(string path, string reason, Exception? inner = null)
        : base($"cannot create the control socket '{path}': {reason}", inner)
    {
        Path = path;
    }

    /// <summary>The socket's path.</summary>
    public string Path { get; }
}

/// <summary>Another running server answers at the control socket's path.</summary>
internal sealed class ControlSocketInUseException : ControlSocketException
{
    public ControlSocketInUseException(string path)
        : base(path, "another running server answers there")
    {
    }
}
