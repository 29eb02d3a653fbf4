using System.Net;
using Akka.Actor;
using Akka.Hosting;
using Xunit;

namespace ActorGunicorn.Hosting.Tests.Infrastructure;

/// <summary>
/// An Akka.Hosting.TestKit spec whose host runs ActorGunicorn: the subclass adds it to the builder, binding
/// 127.0.0.1:0; the spec asks the registered server actor which port it got.
/// </summary>
public abstract class ServerSpec : Akka.Hosting.TestKit.TestKit
{
    protected ServerSpec(ITestOutputHelper output)
        : base(output: output)
    {
    }

    /// <summary>Where the server listens (its first listener).</summary>
    protected async Task<IPEndPoint> ServerEndPointAsync()
    {
        var server = await ActorRegistry.GetAsync<ActorGunicornServer>();
        var listening = await server.Ask<ActorGunicornServer.Listening>(ActorGunicornServer.GetListening.Instance, TimeSpan.FromSeconds(5));
        return (IPEndPoint)listening.EndPoints[0];
    }

    protected static HttpClient Client(IPEndPoint endPoint) =>
        new() { BaseAddress = new Uri($"http://{endPoint}"), Timeout = TimeSpan.FromSeconds(20) };

    protected static void LoopbackAnyPort(ActorGunicornOptions options) => options.Bind = ["127.0.0.1:0"];
}
