using System.Reflection;
using ActorGunicorn.Application;
using ActorGunicorn.Configuration;
using ActorGunicorn.Gateway;

namespace ActorGunicorn.Hooks;

/// <summary>
/// Loads the .NET hooks class <c>--server-hooks</c> names (<c>path/Hooks.dll[:Namespace.Type]</c>) in its own load
/// context, sharing the server's gateway assembly, as an application is loaded.
/// </summary>
internal static class DotNetHooks
{
    /// <summary>Loads the assembly and creates the hooks instance.</summary>
    /// <exception cref="SettingsException">The assembly or type is missing, or the type does not implement <see cref="IServerHooks"/>; the message names the setting.</exception>
    public static IServerHooks Load(string spec)
    {
        var (assemblyPath, typeName) = ApplicationSpec.SplitAssembly(spec);
        if (!assemblyPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) || typeName is { Length: 0 })
        {
            throw Invalid($"'{spec}' is not a .NET hooks class: expected path/Hooks.dll or path/Hooks.dll:Namespace.Type");
        }

        var type = typeName is null ? FindHooksType(LoadAssembly(assemblyPath), assemblyPath) : ResolveNamedType(LoadAssembly(assemblyPath), assemblyPath, typeName);
        if (type.GetConstructor(Type.EmptyTypes) is null)
        {
            throw Invalid($"'{type.FullName}' needs a public parameterless constructor");
        }

        try
        {
            return (IServerHooks)Activator.CreateInstance(type)!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw new SettingsException($"{SettingsTable.ServerHooks.Label}: '{type.FullName}' threw while being created: {ex.InnerException.Message}", ex.InnerException);
        }
    }

    /// <summary>Whether <paramref name="hooks"/> implements <paramref name="method"/> itself rather than keeping the interface's no-op.</summary>
    public static bool Implements(IServerHooks hooks, string method)
    {
        var map = hooks.GetType().GetInterfaceMap(typeof(IServerHooks));
        for (int i = 0; i < map.InterfaceMethods.Length; i++)
        {
            if (map.InterfaceMethods[i].Name == method)
            {
                return map.TargetMethods[i].DeclaringType != typeof(IServerHooks);
            }
        }

        return false;
    }

    private static Assembly LoadAssembly(string assemblyPath)
    {
        var path = Path.GetFullPath(assemblyPath);
        if (!File.Exists(path))
        {
            throw Invalid($"'{assemblyPath}' does not exist ({path})");
        }

        try
        {
            return new ApplicationLoadContext(path).LoadFromAssemblyPath(path);
        }
        catch (Exception ex) when (ex is BadImageFormatException or FileLoadException or FileNotFoundException)
        {
            throw Invalid($"cannot load '{assemblyPath}': {ex.Message}");
        }
    }

    private static Type ResolveNamedType(Assembly assembly, string assemblyPath, string typeName)
    {
        Type? type;
        try
        {
            type = assembly.GetType(typeName, throwOnError: false);
        }
        catch (Exception ex) when (ex is FileLoadException or FileNotFoundException or BadImageFormatException or TypeLoadException)
        {
            throw Invalid($"cannot load type '{typeName}' from '{assemblyPath}': {ex.Message}");
        }

        return type is null ? throw Invalid($"'{assemblyPath}' has no type '{typeName}'")
            : !typeof(IServerHooks).IsAssignableFrom(type) ? throw Invalid($"'{typeName}' in '{assemblyPath}' does not implement {typeof(IServerHooks).FullName}")
            : type;
    }

    private static Type FindHooksType(Assembly assembly, string assemblyPath)
    {
        Type[] exported;
        try
        {
            exported = assembly.GetExportedTypes();
        }
        catch (Exception ex) when (ex is ReflectionTypeLoadException or FileLoadException or FileNotFoundException or TypeLoadException)
        {
            throw Invalid($"cannot read the types of '{assemblyPath}': {ex.Message}");
        }

        var candidates = exported.Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IServerHooks).IsAssignableFrom(t)).ToList();
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw Invalid($"'{assemblyPath}' has no public class implementing {typeof(IServerHooks).FullName}"),
            _ => throw Invalid($"'{assemblyPath}' has several hooks classes ({string.Join(", ", candidates.Select(t => t.FullName))}); name one as {assemblyPath}:Namespace.Type"),
        };
    }

    private static SettingsException Invalid(string problem) => new($"{SettingsTable.ServerHooks.Label}: {problem}");
}
