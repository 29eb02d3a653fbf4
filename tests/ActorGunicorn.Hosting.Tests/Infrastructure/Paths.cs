using System.Reflection;

namespace ActorGunicorn.Hosting.Tests.Infrastructure;

/// <summary>Where the published artifacts are (build.cake's Publish target writes them before the tests run).</summary>
internal static class Paths
{
    public static string RepositoryRoot { get; } =
        typeof(Paths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value
        ?? throw new InvalidOperationException("assembly metadata RepositoryRoot is missing");

    /// <summary>The published <c>actorgunicorn</c> executable: pre-fork mode's worker command.</summary>
    public static string Executable => Published("artifacts", "actorgunicorn", "actorgunicorn");

    /// <summary>The published .NET sample application.</summary>
    public static string HelloWorld => Published("artifacts", "samples", "HelloWorld", "HelloWorld.dll");

    /// <summary>The published EmbeddedHost sample.</summary>
    public static string EmbeddedHost => Published("artifacts", "samples", "EmbeddedHost", "EmbeddedHost.dll");

    private static string Published(params string[] parts)
    {
        var path = Path.Combine([RepositoryRoot, .. parts]);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: run `./build.sh --target=Publish` (or the README's test command) first.", path);
    }
}
