namespace ActorGunicorn.Http;

/// <summary>The outcome of one <see cref="ProxyProtocolParser.TryParse"/> call.</summary>
public enum ProxyParseStatus
{
    /// <summary>Too few bytes to decide or to finish the header; nothing consumed.</summary>
    Incomplete,

    /// <summary>A PROXY header was read; advance past <c>consumed</c>, then parse HTTP.</summary>
    Complete,

    /// <summary>The connection does not start with a PROXY header (or the mode excludes it): parse it as plain HTTP.</summary>
    NotProxy,

    /// <summary>The header is malformed, or the peer may not send one; answer and close.</summary>
    Rejected,
}
