using System.Net;
using Akka.Actor;
using Akka.Hosting;
using ActorGunicorn.Gateway;
using ActorGunicorn.Hosting.Tests.Infrastructure;
using Xunit;

namespace ActorGunicorn.Hosting.Tests;

/// <summary>In-process mode with a gateway application: the worker's actors in the host's own actor system.</summary>
public sealed class InProcessSpecs : ServerSpec
{
    public InProcessSpecs(ITestOutputHelper output)
        : base(output)
    {
    }

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) =>
        builder.WithActorGunicorn(
            (request, response) =>
            {
                response.SetHeader("Content-Type", "text/plain");
                return response.WriteAsync($"{request.Method} {request.Path} from {Sys.Name}");
            },
            LoopbackAnyPort);

    [Fact]
    public async Task A_delegate_application_must_answer_over_a_real_socket_from_inside_the_host_actor_system()
    {
        using var client = Client(await ServerEndPointAsync());

        var response = await client.GetAsync(new Uri("/hello", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"GET /hello from {Sys.Name}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_server_must_be_registered_under_its_marker_type_and_its_workers_must_be_its_children()
    {
        var server = await ActorRegistry.GetAsync<ActorGunicornServer>();
        Assert.Equal("/user/actorgunicorn", server.Path.ToStringWithoutAddress());

        // The worker starts its acceptors as it starts, which may still be under way.
        await AwaitAssertAsync(
            async () => await Sys.ActorSelection("/user/actorgunicorn/worker/acceptor-0").ResolveOne(TimeSpan.FromSeconds(1)),
            TimeSpan.FromSeconds(5));
    }
}
