using Akka.Hosting;
using ActorGunicorn.Hosting.Tests.Infrastructure;
using Xunit;

namespace ActorGunicorn.Hosting.Tests;

/// <summary>Pre-fork mode with a WSGI application: the workers embed CPython, as under the command line.</summary>
[Collection(WorkerProcessSpecs.Name)]
public sealed class PreForkWsgiSpecs : ServerSpec
{
    public PreForkWsgiSpecs(ITestOutputHelper output)
        : base(output)
    {
    }

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) =>
        builder.WithActorGunicorn(
            "hello:application",
            options =>
            {
                LoopbackAnyPort(options);
                options.WorkerExecutable = Paths.Executable;
                // Debian's interpreter: the one whose libpython the CI installs (the pyenv one on PATH has none).
                options.Python = "/usr/bin/python3";
                options.PythonPath = Path.Combine(Paths.RepositoryRoot, "samples", "wsgi");
            });

    [Fact]
    public async Task A_wsgi_module_variable_must_be_served_by_worker_processes()
    {
        using var client = Client(await ServerEndPointAsync());

        var body = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.Equal("Hello, World!", body.TrimEnd());
    }
}
