namespace ActorGunicorn.Gateway;

/// <summary>
/// Optional for an <see cref="IGatewayApplication"/> that runs code the .NET runtime cannot see into, such as an
/// embedded interpreter: it describes what its threads are running. A worker logs this when a request overruns
/// <c>--request-timeout</c> and when the arbiter aborts it for a missed heartbeat (<c>--timeout</c>).
/// </summary>
/// <remarks>
/// Both methods are called from a thread of the server's own while the application's threads may be stuck, so they
/// must not wait for anything those threads hold (an interpreter lock, say).
/// </remarks>
public interface IGatewayStackDumps
{
    /// <summary>The application's stack on one of the threads that called <see cref="IGatewayApplication.InvokeAsync"/>.</summary>
    /// <param name="managedThreadId">The thread's <see cref="Environment.CurrentManagedThreadId"/>.</param>
    /// <returns>The stack as text, most recent call first; null when the thread is not one the application knows.</returns>
    string? DumpStack(int managedThreadId);

    /// <summary>The stacks of every thread the application's runtime knows, its own background threads included.</summary>
    /// <returns>The stacks as text; null when there is nothing to show.</returns>
    string? DumpAllStacks();
}
