using System.Reflection;
using System.Runtime.Loader;
using ActorGunicorn.Gateway;

namespace ActorGunicorn.Application;

/// <summary>
/// Loads an application and its private dependencies (from its <c>.deps.json</c>) apart from the server's own
/// assemblies, so that the two can use different versions of a library. The gateway contract is always the server's
/// copy: the application and the server must agree on the very same <see cref="IGatewayApplication"/> type.
/// </summary>
internal sealed class ApplicationLoadContext : AssemblyLoadContext
{
    private static readonly string GatewayAssemblyName = typeof(IGatewayApplication).Assembly.GetName().Name!;
    private readonly AssemblyDependencyResolver _resolver;

    public ApplicationLoadContext(string mainAssemblyPath)
        : base($"app:{Path.GetFileName(mainAssemblyPath)}", isCollectible: false)
    {
        _resolver = new AssemblyDependencyResolver(mainAssemblyPath);
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name == GatewayAssemblyName)
        {
            return null;
        }

        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
