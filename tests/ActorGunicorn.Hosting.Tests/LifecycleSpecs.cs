using System.Net;
using Akka.Hosting;
using ActorGunicorn.Gateway;
using ActorGunicorn.Hosting.Tests.Infrastructure;
using Xunit;

namespace ActorGunicorn.Hosting.Tests;

/// <summary>In-process mode stops with its host: in-flight requests are answered, then the port is released.</summary>
public sealed class LifecycleSpecs : ServerSpec
{
    private readonly TaskCompletionSource _slowRequestEntered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LifecycleSpecs(ITestOutputHelper output)
        : base(output)
    {
    }

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) =>
        builder.WithActorGunicorn(
            async (request, response) =>
            {
                if (request.Path == "/slow")
                {
                    _slowRequestEntered.TrySetResult();
                    // Still running when the host is told to stop.
                    await Task.Delay(TimeSpan.FromSeconds(1));
                }

                await response.WriteAsync("done");
            },
            options =>
            {
                LoopbackAnyPort(options);
                options.GracefulTimeout = TimeSpan.FromSeconds(10);
            });

    [Fact]
    public async Task Stopping_the_host_must_answer_the_in_flight_request_and_then_free_the_port()
    {
        var endPoint = await ServerEndPointAsync();
        using var client = Client(endPoint);
        var slow = client.GetAsync(new Uri("/slow", UriKind.Relative));
        await _slowRequestEntered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await Host.StopAsync();

        var response = await slow;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("done", await response.Content.ReadAsStringAsync());
        Assert.True(Ports.CanBind(endPoint), $"{endPoint} is still held after the host stopped");
    }
}
