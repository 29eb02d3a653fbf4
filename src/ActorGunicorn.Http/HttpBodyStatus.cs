namespace ActorGunicorn.Http;

/// <summary>The outcome of one <see cref="HttpBodyDecoder.Decode"/> call.</summary>
public enum HttpBodyStatus
{
    /// <summary>No payload is available yet; advance to <c>consumed</c> and call again when more bytes arrive.</summary>
    NeedMoreData,

    /// <summary><c>payload</c> holds body bytes; use them, advance to <c>consumed</c>, and call again.</summary>
    Data,

    /// <summary>The body (and any trailers) ended; advance to <c>consumed</c>: the next request starts there.</summary>
    Complete,

    /// <summary>The body's framing is broken; the connection must close.</summary>
    Rejected,
}
