namespace ActorGunicorn.Wsgi.Hosting;

/// <summary>The shim's request handler, with what it read from the process once the application was imported.</summary>
/// <param name="Handle">The handler (a strong reference the interpreter owns until it is finalised).</param>
/// <param name="ScriptName">
/// <c>os.environ["SCRIPT_NAME"]</c> once the application was imported (<c>-e SCRIPT_NAME=/app</c>, or set by the
/// application itself), or empty: where the application is mounted when the request does not say otherwise.
/// </param>
internal sealed record WsgiHandler(nint Handle, string ScriptName);
