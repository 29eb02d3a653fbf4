using System.Text;
using Akka.Actor;
using ActorGunicorn.Hosting;

namespace EmbeddedHost;

/// <summary>
/// The application, as an actor: it holds a counter and answers the server's requests with it.
/// <c>GET /counter</c> reads it, <c>POST /counter/increment</c> adds one and returns the new value. One message at
/// a time, so concurrent increments need no lock.
/// </summary>
public sealed class CounterActor : ReceiveActor
{
    private static readonly KeyValuePair<string, string>[] TextPlain = [new("Content-Type", "text/plain")];
    private long _count;

    /// <summary>Creates the counter at zero.</summary>
    public CounterActor()
    {
        Receive<ActorHandler.Request>(Handle);
    }

    private void Handle(ActorHandler.Request request)
    {
        var reply = (request.Method, request.Path) switch
        {
            ("GET", "/counter") => Text(200, Count()),
            ("POST", "/counter/increment") => Text(200, Increment()),
            (_, "/counter" or "/counter/increment") => Text(405, "Method Not Allowed\n"),
            _ => Text(404, "Not Found\n"),
        };
        request.Exchange.Tell(reply);
    }

    private string Count() => _count.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n";

    private string Increment()
    {
        _count++;
        return Count();
    }

    private static ActorHandler.Response Text(int status, string body) => new(status, TextPlain, Encoding.UTF8.GetBytes(body));
}
