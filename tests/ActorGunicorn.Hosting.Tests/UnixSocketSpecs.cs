using System.Net.Sockets;
using Akka.Actor;
using Akka.Hosting;
using ActorGunicorn.Gateway;
using ActorGunicorn.Hosting.Tests.Infrastructure;
using Xunit;

namespace ActorGunicorn.Hosting.Tests;

/// <summary>In-process mode on a Unix socket: it serves there, and its file is gone once the host has stopped.</summary>
public sealed class UnixSocketSpecs : ServerSpec
{
    private static readonly string Directory = System.IO.Directory.CreateTempSubdirectory("actorgunicorn-hosting-").FullName;
    private readonly string _socketPath = Path.Combine(Directory, $"{Guid.NewGuid():N}.sock");

    public UnixSocketSpecs(ITestOutputHelper output)
        : base(output)
    {
    }

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) =>
        builder.WithActorGunicorn((_, response) => response.WriteAsync("over unix"), options => options.Bind = [$"unix:{_socketPath}"]);

    [Fact]
    public async Task A_unix_socket_listener_must_serve_and_its_file_must_be_removed_when_the_host_stops()
    {
        try
        {
            var server = await ActorRegistry.GetAsync<ActorGunicornServer>();
            var listening = await server.Ask<ActorGunicornServer.Listening>(ActorGunicornServer.GetListening.Instance, TimeSpan.FromSeconds(5));
            Assert.IsType<UnixDomainSocketEndPoint>(listening.EndPoints.Single());
            using (var connection = await KeepAliveClient.ConnectAsync(new UnixDomainSocketEndPoint(_socketPath)))
            {
                var answer = await connection.SendAsync("GET", "/", TimeSpan.FromSeconds(10));
                Assert.Equal("over unix", answer.Body);
            }

            await Host.StopAsync();

            Assert.False(File.Exists(_socketPath), $"{_socketPath} is still there after the host stopped");
        }
        finally
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
