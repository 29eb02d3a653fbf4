namespace ActorGunicorn.Transport;

/// <summary>
/// Descriptor inheritance is process-wide: while one child's descriptor (a worker's control channel, a daemon's
/// readiness pipe) is inheritable, no other child may be started, or it would inherit that descriptor too. Every
/// process start that makes a descriptor inheritable for it, and every other process start, holds this lock.
/// </summary>
internal static class DescriptorInheritance
{
    /// <summary>The lock around "make inheritable, start the process, close or restore".</summary>
    public static readonly Lock SpawnLock = new();
}
