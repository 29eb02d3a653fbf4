using Akka.Actor;
using Akka.Hosting;

namespace ActorGunicorn.Hosting;

/// <summary>
/// An application written as an actor: each HTTP request is a <see cref="Request"/> message to the handler actor,
/// and its replies are the response. The protocol, from the handler's side:
/// <list type="bullet">
/// <item>reply to the request's <see cref="Request.Exchange"/> (also the message's sender) with a whole
/// <see cref="Response"/>; or</item>
/// <item>reply with a <see cref="ResponseHead"/>, then send <see cref="ResponseChunk"/>s, each only after the
/// previous one was acknowledged with <see cref="ChunkWritten"/> (the client has taken it: a slow client slows the
/// handler down), then <see cref="ResponseEnd"/>;</item>
/// <item>to read the request body, send <see cref="ReadBody"/>; each is answered with one <see cref="BodyChunk"/>,
/// the last one with <see cref="BodyChunk.IsLast"/> set.</item>
/// </list>
/// A handler that does not reply within <see cref="Timeout"/> (for the head, and between chunks) gets the client a
/// 504 Gateway Timeout (or a cut connection once the head went out); a handler that has terminated, or has
/// <see cref="MaxOutstandingRequests"/> requests unanswered, a 503 Service Unavailable. Replies that arrive after
/// the request was answered are dropped. The connection stays usable after a 503 or 504.
/// Change the limits with <c>with</c>: <c>ActorHandler.FromProps(props) with { Timeout = … }</c>.
/// </summary>
public sealed record ActorHandler
{
    private ActorHandler(Props? props, Func<IActorRegistry, IActorRef>? lookup)
    {
        ChildProps = props;
        Lookup = lookup;
    }

    /// <summary>How long the handler may take to reply (the head, each next chunk). Default 30 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many requests may wait on the handler at once; more are answered 503. Default 1,000.</summary>
    public int MaxOutstandingRequests { get; init; } = 1000;

    /// <summary>The props of a handler the server starts as its child, or null.</summary>
    internal Props? ChildProps { get; }

    /// <summary>How to find a handler the host started, or null.</summary>
    internal Func<IActorRegistry, IActorRef>? Lookup { get; }

    /// <summary>A handler the server starts from <paramref name="props"/> as its own child (supervised by the server).</summary>
    /// <param name="props">The handler actor's props.</param>
    /// <returns>The handler.</returns>
    public static ActorHandler FromProps(Props props)
    {
        ArgumentNullException.ThrowIfNull(props);
        return new ActorHandler(props, lookup: null);
    }

    /// <summary>A handler the host registered in its <c>ActorRegistry</c> under <typeparamref name="TKey"/>.</summary>
    /// <typeparam name="TKey">The registry key.</typeparam>
    /// <returns>The handler.</returns>
    public static ActorHandler Registered<TKey>() =>
        new(props: null, registry => registry.TryGet<TKey>(out var handler)
            ? handler
            : throw new InvalidOperationException(
                $"ActorHandler.Registered<{typeof(TKey).Name}>: no actor is registered under {typeof(TKey).Name}; register it in a WithActors call before WithActorGunicorn"));

    /// <summary>A request, sent to the handler actor.</summary>
    /// <param name="Method">The method, e.g. <c>GET</c>.</param>
    /// <param name="Target">The raw request target, e.g. <c>/counter?x=1</c>.</param>
    /// <param name="Path">The decoded path.</param>
    /// <param name="QueryString">The query string, without <c>?</c>.</param>
    /// <param name="Headers">The request headers, in order.</param>
    /// <param name="ContentLength">The body's length when the client declared it.</param>
    /// <param name="Exchange">Where the replies go (also the sender).</param>
    public sealed record Request(
        string Method,
        string Target,
        string Path,
        string QueryString,
        IReadOnlyList<KeyValuePair<string, string>> Headers,
        long? ContentLength,
        IActorRef Exchange);

    /// <summary>Reply: a whole response.</summary>
    /// <param name="StatusCode">The status, e.g. 200.</param>
    /// <param name="Headers">The response headers; Content-Length is added.</param>
    /// <param name="Body">The body.</param>
    public sealed record Response(int StatusCode, IReadOnlyList<KeyValuePair<string, string>> Headers, ReadOnlyMemory<byte> Body);

    /// <summary>Reply: the start of a streamed response; chunks and an end follow.</summary>
    /// <param name="StatusCode">The status.</param>
    /// <param name="Headers">The response headers.</param>
    /// <param name="ContentLength">The body's length if known; null streams it chunked.</param>
    public sealed record ResponseHead(int StatusCode, IReadOnlyList<KeyValuePair<string, string>> Headers, long? ContentLength);

    /// <summary>Reply: body bytes of a streamed response. Answered with <see cref="ChunkWritten"/>.</summary>
    /// <param name="Data">The bytes.</param>
    public sealed record ResponseChunk(ReadOnlyMemory<byte> Data);

    /// <summary>Acknowledgement: the client has taken the last chunk; the handler may send the next.</summary>
    public sealed record ChunkWritten
    {
        /// <summary>The single instance.</summary>
        public static ChunkWritten Instance { get; } = new();

        private ChunkWritten()
        {
        }
    }

    /// <summary>Reply: the streamed response is complete.</summary>
    public sealed record ResponseEnd
    {
        /// <summary>The single instance.</summary>
        public static ResponseEnd Instance { get; } = new();

        private ResponseEnd()
        {
        }
    }

    /// <summary>Command to the exchange: read the next part of the request body. Answered with <see cref="BodyChunk"/>.</summary>
    public sealed record ReadBody
    {
        /// <summary>The single instance.</summary>
        public static ReadBody Instance { get; } = new();

        private ReadBody()
        {
        }
    }

    /// <summary>Part of the request body.</summary>
    /// <param name="Data">The bytes (empty at the end).</param>
    /// <param name="IsLast">True when the body has no more bytes.</param>
    public sealed record BodyChunk(ReadOnlyMemory<byte> Data, bool IsLast);
}
