using System.Diagnostics;

namespace ActorGunicorn.Workers;

/// <summary>
/// Who may write the response of the request in progress on one connection: the application, or the request-timeout
/// watchdog (on its own thread). Exactly one of them ever writes a response head. One atomic word holds the request's
/// generation and its owner, so a watchdog acting on a request that has meanwhile finished (and a new one begun on
/// the same connection) changes nothing: its compare-and-swap names the generation it saw.
/// </summary>
/// <remarks>
/// The application's side (<see cref="Begin"/>, <see cref="ClaimForApplication"/>, <see cref="TryBeginInterim"/>,
/// <see cref="EndInterim"/>, <see cref="Finish"/>) runs wherever the exchange is, one call at a time; the watchdog's
/// side is <see cref="TryTimeOut"/>. Three uncontended atomic operations per request: no lock.
/// </remarks>
internal sealed class ResponseOwnership
{
    private const int OwnerBits = 3;
    private const long OwnerMask = (1 << OwnerBits) - 1;

    private long _word = (long)ResponseOwner.Idle;
    private long _startedTimestamp;

    /// <summary>The owner now (a snapshot).</summary>
    public ResponseOwner Owner => OwnerOf(Volatile.Read(ref _word));

    /// <summary>Whether the watchdog has taken the response: the application's output is discarded.</summary>
    public bool IsTimedOut => Owner == ResponseOwner.TimedOut;

    /// <summary>The <see cref="Stopwatch"/> timestamp at which the current request began.</summary>
    public long StartedTimestamp => Volatile.Read(ref _startedTimestamp);

    /// <summary>A new request begins (a new generation): nobody has written its response yet.</summary>
    public void Begin(long startedTimestamp)
    {
        // The timestamp is published before the word: a watchdog that sees the new generation sees its start time.
        Volatile.Write(ref _startedTimestamp, startedTimestamp);
        long word = Volatile.Read(ref _word);
        Interlocked.Exchange(ref _word, Compose(GenerationOf(word) + 1, ResponseOwner.Open));
    }

    /// <summary>
    /// The application is about to send its response head (or an error page in its place). True: it owns the
    /// response. False: the watchdog took it first, and the application's output must be discarded.
    /// </summary>
    public bool ClaimForApplication() => TryTakeFromOpen(ResponseOwner.Application, alsoFromInterim: true);

    /// <summary>
    /// The application is about to send an interim response (<c>100 Continue</c>) before its head. True: go ahead,
    /// and call <see cref="EndInterim"/> after; the watchdog waits meanwhile. False: the watchdog took the response.
    /// </summary>
    public bool TryBeginInterim() => TryTakeFromOpen(ResponseOwner.Interim, alsoFromInterim: false);

    // The application's side of the claim: an open response (and, for the head, one between interim responses) moves
    // to target. False only when the watchdog has it; any other owner is the application itself, already writing.
    private bool TryTakeFromOpen(ResponseOwner target, bool alsoFromInterim)
    {
        while (true)
        {
            long word = Volatile.Read(ref _word);
            var owner = OwnerOf(word);
            if (owner == ResponseOwner.TimedOut)
            {
                return false;
            }

            if (owner != ResponseOwner.Open && !(alsoFromInterim && owner == ResponseOwner.Interim))
            {
                return true;
            }

            if (Interlocked.CompareExchange(ref _word, Compose(GenerationOf(word), target), word) == word)
            {
                return true;
            }
        }
    }

    /// <summary>The interim response is sent: the response is open again (unless the application claimed it meanwhile).</summary>
    public void EndInterim()
    {
        long word = Volatile.Read(ref _word);
        if (OwnerOf(word) == ResponseOwner.Interim)
        {
            Interlocked.CompareExchange(ref _word, Compose(GenerationOf(word), ResponseOwner.Open), word);
        }
    }

    /// <summary>
    /// The watchdog's move: takes the response of a request that has run for at least <paramref name="timeout"/>
    /// at <paramref name="nowTimestamp"/>, if it is still running and nobody is mid-write.
    /// </summary>
    public TimeoutClaim TryTimeOut(TimeSpan timeout, long nowTimestamp)
    {
        long word = Volatile.Read(ref _word);
        var owner = OwnerOf(word);
        if (owner is not (ResponseOwner.Open or ResponseOwner.Application or ResponseOwner.Interim))
        {
            return TimeoutClaim.NotRunning;
        }

        if (Stopwatch.GetElapsedTime(Volatile.Read(ref _startedTimestamp), nowTimestamp) < timeout)
        {
            return TimeoutClaim.NotDue;
        }

        if (owner == ResponseOwner.Interim)
        {
            return TimeoutClaim.Busy;
        }

        if (Interlocked.CompareExchange(ref _word, Compose(GenerationOf(word), ResponseOwner.TimedOut), word) != word)
        {
            // The application claimed the head, or the request ended, in between: look again on the next pass.
            return TimeoutClaim.Busy;
        }

        return owner == ResponseOwner.Open ? TimeoutClaim.Answer : TimeoutClaim.Abort;
    }

    /// <summary>The request is over; returns whether the watchdog had taken its response.</summary>
    public bool Finish()
    {
        long word = Volatile.Read(ref _word);
        long previous = Interlocked.Exchange(ref _word, Compose(GenerationOf(word), ResponseOwner.Idle));
        return OwnerOf(previous) == ResponseOwner.TimedOut;
    }

    private static long Compose(long generation, ResponseOwner owner) => (generation << OwnerBits) | (long)owner;

    private static long GenerationOf(long word) => word >> OwnerBits;

    private static ResponseOwner OwnerOf(long word) => (ResponseOwner)(word & OwnerMask);
}

/// <summary>Where a request's response stands, for <see cref="ResponseOwnership"/>.</summary>
internal enum ResponseOwner
{
    /// <summary>No request is running.</summary>
    Idle = 0,

    /// <summary>A request runs and nothing of its response has been written.</summary>
    Open = 1,

    /// <summary>The application is sending an interim response (<c>100 Continue</c>).</summary>
    Interim = 2,

    /// <summary>The application writes the response.</summary>
    Application = 3,

    /// <summary>The watchdog took the response: it answered 504 or cut the connection.</summary>
    TimedOut = 4,
}

/// <summary>What <see cref="ResponseOwnership.TryTimeOut"/> did.</summary>
internal enum TimeoutClaim
{
    /// <summary>No request is running (it finished).</summary>
    NotRunning,

    /// <summary>The request has not run for the timeout yet (a new request on the same connection).</summary>
    NotDue,

    /// <summary>Someone is writing right now, or the state changed under the watchdog: try on the next pass.</summary>
    Busy,

    /// <summary>Taken before the response started: the watchdog answers 504 and closes the connection.</summary>
    Answer,

    /// <summary>Taken after the response started: the watchdog cuts the connection.</summary>
    Abort,
}
