using Xunit;

namespace ActorGunicorn.IntegrationTests.Infrastructure;

/// <summary>
/// A fact that needs root: switching a worker to another user calls setgid(2) and setuid(2), which only root may
/// do. Under another user it is reported as skipped with that reason; CI runs the tests as root.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (geteuid() != 0)
        {
            Skip = "needs root: workers switch to -u/-g with setgid(2)/setuid(2), which only root may call (CI runs as root)";
        }
    }

    [System.Runtime.InteropServices.DllImport("libc")]
#pragma warning disable SYSLIB1054, CA5392 // a test helper: a plain DllImport is enough.
    private static extern uint geteuid();
#pragma warning restore SYSLIB1054, CA5392
}
