using Akka.Hosting;
using ActorGunicorn.Configuration;
using ActorGunicorn.Hosting.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace ActorGunicorn.Hosting.Tests;

/// <summary>Mistakes in the embedding are start-up errors that name the option, not stack traces from a worker.</summary>
public sealed class StartupErrorSpecs
{
    [Fact]
    public async Task A_missing_worker_executable_must_fail_the_host_start_naming_the_option()
    {
        var error = await StartFailureAsync(akka => akka.WithActorGunicorn(Paths.HelloWorld, options =>
        {
            options.Bind = ["127.0.0.1:0"];
            options.WorkerExecutable = "/nonexistent/actorgunicorn";
        }));

        Assert.Contains("ActorGunicornOptions.WorkerExecutable", error.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/actorgunicorn", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_actor_handler_that_is_not_registered_must_fail_the_host_start_naming_its_key()
    {
        var error = await StartFailureAsync(akka => akka.WithActorGunicorn(ActorHandler.Registered<StartupErrorSpecs>(), options => options.Bind = ["127.0.0.1:0"]));

        Assert.Contains(nameof(StartupErrorSpecs), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Naming_nothing_to_serve_must_be_a_settings_error()
    {
        var error = await StartFailureAsync(akka => akka.WithActorGunicorn(new ActorGunicornOptions(), new ActorGunicornSetup()));

        Assert.IsType<SettingsException>(error);
        Assert.Contains("name exactly one thing to serve", error.Message, StringComparison.Ordinal);
    }

    private static async Task<Exception> StartFailureAsync(Action<AkkaConfigurationBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddAkka("startup-error", configure);
        IHost? host = null;
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            host = builder.Build();
            await host.StartAsync();
        });
        // A host that failed to start is not stopped (it may have no hosted services yet); disposing it ends its actor system.
        host?.Dispose();

        // Akka.Hosting may wrap the starter's exception.
        while (error is not SettingsException && error is not InvalidOperationException && error.InnerException is not null)
        {
            error = error.InnerException;
        }

        return error;
    }
}
