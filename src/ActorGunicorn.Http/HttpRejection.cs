namespace ActorGunicorn.Http;

/// <summary>Why input was refused, what to answer, and what to do with the connection afterwards.</summary>
public sealed class HttpRejection
{
    /// <summary>Creates a rejection; <paramref name="detail"/> is the text gunicorn's exception would print.</summary>
    public HttpRejection(HttpRejectionReason reason, string detail)
    {
        Reason = reason;
        Detail = detail;
        StatusCode = StatusFor(reason);
    }

    /// <summary>The gunicorn exception class this rejection corresponds to.</summary>
    public HttpRejectionReason Reason { get; }

    /// <summary>What was refused, as gunicorn's <c>str(exception)</c> (for logs and the error page).</summary>
    public string Detail { get; }

    /// <summary>The status of the error response.</summary>
    public int StatusCode { get; }

    /// <summary>The reason phrase of the error response.</summary>
    public string ReasonPhrase => HttpReasonPhrases.Get(StatusCode);

    /// <summary>
    /// False only for <see cref="HttpRejectionReason.NoMoreData"/>: the peer is gone, so nothing is written and the
    /// connection is simply closed.
    /// </summary>
    public bool SendsResponse => Reason != HttpRejectionReason.NoMoreData;

    /// <summary>
    /// True for every rejection: gunicorn closes the connection after any refused request, and after a framing
    /// error the rest of the input cannot be trusted to start a new request.
    /// </summary>
    public bool ClosesConnection { get; } = true;

    /// <summary>The status code for a reason: gunicorn's <c>Worker.handle_error</c> mapping.</summary>
    public static int StatusFor(HttpRejectionReason reason) => reason switch
    {
        HttpRejectionReason.LimitRequestHeaders => 431,
        HttpRejectionReason.UnsupportedTransferCoding => 501,
        HttpRejectionReason.ExpectationFailed => 417,
        HttpRejectionReason.ForbiddenProxyRequest => 403,
        HttpRejectionReason.LimitRequestBody => 413,
        HttpRejectionReason.RequestTimeout => 408,
        _ => 400,
    };

    /// <inheritdoc/>
    public override string ToString() => $"{Reason}: {Detail}";
}
