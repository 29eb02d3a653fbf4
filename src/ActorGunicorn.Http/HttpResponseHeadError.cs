namespace ActorGunicorn.Http;

/// <summary>Why <see cref="HttpResponseHeadWriter.TryWrite"/> refused a response head; answer 500 instead.</summary>
public enum HttpResponseHeadError
{
    /// <summary>The head was written.</summary>
    None,

    /// <summary>The status code is outside 100-999, or the reason phrase holds a control character.</summary>
    InvalidStatus,

    /// <summary>A header name is not a token (gunicorn's InvalidHeaderName).</summary>
    InvalidHeaderName,

    /// <summary>A header value holds CR, LF, NUL, another control or a character outside latin-1 (gunicorn's InvalidHeader).</summary>
    InvalidHeaderValue,

    /// <summary>A Content-Length value is not a decimal number, or two of them disagree.</summary>
    InvalidContentLength,
}
