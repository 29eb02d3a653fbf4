namespace ActorGunicorn.Http;

/// <summary>How a response body is delimited on the wire.</summary>
public enum HttpResponseBodyFraming
{
    /// <summary>No body may be sent (HEAD, 1xx, 204, 304): drop whatever the application writes.</summary>
    NoBody,

    /// <summary>Send exactly Content-Length bytes; drop anything beyond.</summary>
    ContentLength,

    /// <summary>Frame each write as a chunk (<see cref="ChunkedEncoder"/>) and end with the last chunk.</summary>
    Chunked,

    /// <summary>No length is known and the client cannot take chunks: the body ends when the connection closes.</summary>
    CloseDelimited,
}
