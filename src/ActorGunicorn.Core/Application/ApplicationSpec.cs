namespace ActorGunicorn.Application;

/// <summary>
/// What the positional <c>APP</c> argument names. For .NET: <c>path/to/App.dll</c> (the one public type that implements
/// the gateway interface) or <c>path/to/App.dll:Namespace.Type</c>.
/// </summary>
/// <param name="AssemblyPath">The assembly file, absolute or relative to the working directory (after <c>--chdir</c>).</param>
/// <param name="TypeName">The full type name, or null to find the only application type in the assembly.</param>
public sealed record ApplicationSpec(string AssemblyPath, string? TypeName)
{
    /// <summary>Whether <paramref name="app"/> names a .NET assembly; anything else is a Python module.</summary>
    public static bool IsDotNet(string app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return SplitAssembly(app).AssemblyPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Parses <c>path.dll</c> or <c>path.dll:Type</c>.</summary>
    /// <exception cref="ApplicationLoadException">The spec does not name an assembly, or names an empty type.</exception>
    public static ApplicationSpec Parse(string app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var (assemblyPath, typeName) = SplitAssembly(app);
        if (!assemblyPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApplicationLoadException(
                $"'{app}' is not a .NET application: expected path/to/App.dll or path/to/App.dll:Namespace.Type");
        }

        if (typeName is { Length: 0 })
        {
            throw new ApplicationLoadException($"'{app}' names no type after ':'");
        }

        return new ApplicationSpec(assemblyPath, typeName);
    }

    /// <inheritdoc />
    public override string ToString() => TypeName is null ? AssemblyPath : $"{AssemblyPath}:{TypeName}";

    // The type separator is the last ':' after ".dll", so paths with ':' in directory names still work.
    internal static (string AssemblyPath, string? TypeName) SplitAssembly(string app)
    {
        int dll = app.LastIndexOf(".dll", StringComparison.OrdinalIgnoreCase);
        if (dll >= 0 && dll + 4 < app.Length && app[dll + 4] == ':')
        {
            return (app[..(dll + 4)], app[(dll + 5)..]);
        }

        return (app, null);
    }
}
