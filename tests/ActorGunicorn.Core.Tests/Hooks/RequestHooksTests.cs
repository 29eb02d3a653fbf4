using ActorGunicorn.Configuration;
using ActorGunicorn.Core.Tests.Configuration;
using ActorGunicorn.Gateway;
using ActorGunicorn.Hooks;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ActorGunicorn.Core.Tests.Hooks;

/// <summary>pre_request and post_request around the application, with gunicorn's failure rules, and nothing when undefined.</summary>
public sealed class RequestHooksTests : IDisposable
{
    private readonly ScratchDirectory directory = new();
    private readonly RecordingHooks hooks = new();
    private readonly List<string> calls;

    public RequestHooksTests() => calls = hooks.Calls;

    public void Dispose() => directory.Dispose();

    [Fact]
    public async Task Pre_request_runs_before_the_application_and_post_request_after_it()
    {
        var application = Wrap(new Application(calls));

        await application.InvokeAsync(null!, null!);

        Assert.Equal(["pre_request", "application", "post_request"], calls);
    }

    [Fact]
    public async Task Post_request_waits_for_an_asynchronous_application()
    {
        var release = new TaskCompletionSource();
        var invocation = Wrap(new Application(calls, release.Task)).InvokeAsync(null!, null!);
        Assert.Equal(["pre_request", "application"], calls);

        release.SetResult();
        await invocation;

        Assert.Equal(["pre_request", "application", "post_request"], calls);
    }

    [Fact]
    public async Task A_failing_pre_request_fails_the_request_without_calling_the_application_and_post_request_still_runs()
    {
        hooks.Failing.Add("pre_request");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await Wrap(new Application(calls)).InvokeAsync(null!, null!));

        Assert.Equal("pre_request fails on purpose", error.Message);
        Assert.Equal(["pre_request", "post_request"], calls);
    }

    [Fact]
    public async Task A_failing_post_request_is_logged_and_the_request_succeeds()
    {
        hooks.Failing.Add("post_request");

        await Wrap(new Application(calls)).InvokeAsync(null!, null!);

        Assert.Equal(["pre_request", "application", "post_request"], calls);
    }

    [Fact]
    public async Task Post_request_runs_after_an_application_that_throws()
    {
        var failing = new Application(calls, Task.FromException(new IOException("the application failed")));

        await Assert.ThrowsAsync<IOException>(async () => await Wrap(failing).InvokeAsync(null!, null!));

        Assert.Equal(["pre_request", "application", "post_request"], calls);
    }

    [Fact]
    public void A_worker_without_request_hooks_serves_the_application_itself()
    {
        var application = new Application(calls);
        using var none = WorkerHooks([]);
        using var lifecycleOnly = WorkerHooks(["--server-hooks", Spec<LifecycleOnlyHooks>()]);
        using var recording = WorkerHooks(["--server-hooks", Spec<RecordingHooks>()]);

        Assert.Same(application, none.WrapRequests(application));
        Assert.Same(application, lifecycleOnly.WrapRequests(application));
        Assert.IsType<RequestHooksApplication>(recording.WrapRequests(application));
    }

    [Fact]
    public void Only_methods_a_class_implements_count_as_its_hooks()
    {
        Assert.True(DotNetHooks.Implements(new RecordingHooks(), nameof(IServerHooks.PreRequest)));
        Assert.False(DotNetHooks.Implements(new RecordingHooks(), nameof(IServerHooks.PostFork)));
        Assert.True(DotNetHooks.Implements(new LifecycleOnlyHooks(), nameof(IServerHooks.PostFork)));
    }

    private static string Spec<T>() => $"{typeof(T).Assembly.Location}:{typeof(T).FullName}";

    private RequestHooksApplication Wrap(IGatewayApplication application) =>
        new RequestHooksApplication(application, new HookChain([hooks], NullLogger.Instance), new HookChain([hooks], NullLogger.Instance), null!);

    private WorkerHooks WorkerHooks(string[] args)
    {
        var workerHooks = new WorkerHooks(SettingsLoader.Load(args, new Dictionary<string, string?>(), directory.Path), Serilog.Core.Logger.None, age: 1);
        workerHooks.Load();
        return workerHooks;
    }

    private sealed class Application(List<string> calls, Task? completion = null) : IGatewayApplication
    {
        public ValueTask InvokeAsync(IGatewayRequest request, IGatewayResponse response)
        {
            calls.Add("application");
            return new ValueTask(completion ?? Task.CompletedTask);
        }
    }
}
