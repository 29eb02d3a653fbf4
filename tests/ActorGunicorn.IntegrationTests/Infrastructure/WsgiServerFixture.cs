using Xunit;

namespace ActorGunicorn.IntegrationTests.Infrastructure;

/// <summary>
/// One WSGI server shared by every test of a class (xunit's class fixture), with a temporary directory for its
/// files. Disposal stops the server, deletes the directory, and fails the class if wsgiref.validate complained at
/// any point in the server's life.
/// </summary>
public abstract class WsgiServerFixture : IAsyncLifetime
{
    private ServerUnderTest? _server;

    /// <summary>A directory of this class's own, deleted with the fixture.</summary>
    public string TempDirectory { get; } = Directory.CreateTempSubdirectory("actorgunicorn-wsgi-").FullName;

    internal ServerUnderTest Server => _server ?? throw new InvalidOperationException("the server has not started");

    /// <summary>The pid of the only worker (the fixtures run one).</summary>
    internal int WorkerPid => Server.WorkerPids.Single();

    internal string Url(string path) => $"http://127.0.0.1:{Server.Port}{path}";

    public async Task InitializeAsync()
    {
        try
        {
            await PrepareAsync();
            _server = await ServerUnderTest.StartListeningAsync(Arguments());

            // "Booting worker" is logged before the application is imported: one answered request means the worker
            // is ready, so a test's measurements (memory, timing) are its own and not the import's.
            var first = await Tools.CurlAsync("--fail", Url("/"));
            if (first.ExitCode != 0)
            {
                throw new InvalidOperationException($"GET / failed: {first.StandardError}\n{_server.Output}");
            }
        }
        catch
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
                _server = null;
            }

            DeleteTempDirectory();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
                Wsgi.AssertValidatorWasSilent(_server);
            }
        }
        finally
        {
            DeleteTempDirectory();
        }
    }

    /// <summary>Creates the files the server needs, before it starts.</summary>
    internal virtual Task PrepareAsync() => Task.CompletedTask;

    /// <summary>The server's command line.</summary>
    internal abstract string[] Arguments();

    private void DeleteTempDirectory()
    {
        if (Directory.Exists(TempDirectory))
        {
            Directory.Delete(TempDirectory, recursive: true);
        }
    }
}
