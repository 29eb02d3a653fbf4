namespace ActorGunicorn.Gateway;

/// <summary>
/// Optional for an <see cref="IGatewayApplication"/> whose code must run on threads it has prepared, such as an
/// embedded interpreter's. A worker serving such an application runs its actors on <c>--threads</c> dedicated
/// threads and calls these hooks on each, so the application can be invoked inline on a prepared thread: no
/// hand-off to another thread per request.
/// </summary>
/// <remarks>All three run on the dedicated thread itself.</remarks>
public interface IGatewayThreadHooks
{
    /// <summary>The thread has started and will serve until the worker stops: prepare it.</summary>
    void OnThreadStarted();

    /// <summary>The thread has no work and is about to wait for some: release what others may need (a lock, say).</summary>
    void OnThreadIdle();

    /// <summary>The thread is about to end: undo what <see cref="OnThreadStarted"/> did.</summary>
    void OnThreadStopping();
}
