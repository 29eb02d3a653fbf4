using System.Globalization;

namespace ActorGunicorn.Workers;

/// <summary>
/// The request-timeout watchdog's decisions and texts, as pure functions: how often it looks, what a claim means,
/// and the words for the log and for the recycle request.
/// </summary>
internal static class RequestTimeouts
{
    private static readonly TimeSpan FastestCheck = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan SlowestCheck = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How often the watchdog looks: a quarter of the timeout, between 100 and 250 ms, so a request is answered at
    /// most a quarter (or 250 ms) past its timeout, and an idle worker wakes at most ten times a second.
    /// </summary>
    public static TimeSpan CheckInterval(TimeSpan timeout)
    {
        var quarter = timeout / 4;
        return quarter < FastestCheck ? FastestCheck : quarter > SlowestCheck ? SlowestCheck : quarter;
    }

    /// <summary>Whether a claim made the watchdog the request's answerer (so it logs, answers and asks for a recycle).</summary>
    public static bool Claimed(TimeoutClaim claim) => claim is TimeoutClaim.Answer or TimeoutClaim.Abort;

    /// <summary>The request as the logs name it: <c>GET /path?query</c>.</summary>
    public static string Describe(string method, string target) => $"{method} {target}";

    /// <summary>Seconds with at most one decimal: <c>1.2</c>, <c>10</c>.</summary>
    public static string Seconds(TimeSpan elapsed) =>
        Math.Round(elapsed.TotalSeconds, 1, MidpointRounding.AwayFromZero).ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>Why the worker asks to be replaced: <c>request timeout: GET /slow ran 1.2 s</c>.</summary>
    public static string RecycleReason(string request, TimeSpan elapsed) => $"request timeout: {request} ran {Seconds(elapsed)} s";

    /// <summary>What the watchdog did to the client, for the log.</summary>
    public static string Outcome(TimeoutClaim claim) => claim switch
    {
        TimeoutClaim.Answer => "answered 504 Gateway Timeout and closed the connection",
        TimeoutClaim.Abort => "the response had started, so the connection was cut",
        _ => throw new ArgumentOutOfRangeException(nameof(claim), claim, "only a claimed request has an outcome"),
    };

    /// <summary>
    /// The stack part of the log entry: the application's text, or why there is none (a .NET application: the
    /// runtime cannot walk another thread's stack from inside the process).
    /// </summary>
    public static string Stack(string? applicationStack, int threadId) =>
        applicationStack ?? string.Create(
            CultureInfo.InvariantCulture,
            $"No stack: .NET cannot walk another thread's stack from inside the process (the request started on managed thread {threadId}).");
}
