namespace ActorGunicorn.Http;

/// <summary>The outcome of <see cref="HttpResponseFraming.Decide"/>.</summary>
/// <param name="Framing">How to send the body.</param>
/// <param name="ContentLength">The Content-Length header to send, or null to send none.</param>
/// <param name="KeepAlive">Whether the connection stays open after the response.</param>
public readonly record struct HttpResponseFramingDecision(HttpResponseBodyFraming Framing, long? ContentLength, bool KeepAlive);
