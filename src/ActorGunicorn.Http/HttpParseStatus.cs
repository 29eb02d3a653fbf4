namespace ActorGunicorn.Http;

/// <summary>The outcome of one <see cref="HttpRequestParser.TryParseHead"/> call.</summary>
public enum HttpParseStatus
{
    /// <summary>More bytes are needed. Nothing was consumed; pass the same bytes again with more appended.</summary>
    Incomplete,

    /// <summary>A whole request head was parsed; advance past <c>consumed</c> and decode the body.</summary>
    Complete,

    /// <summary>The input is refused; answer with the rejection (if it sends a response) and close.</summary>
    Rejected,
}
