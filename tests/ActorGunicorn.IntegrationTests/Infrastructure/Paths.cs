using System.Reflection;

namespace ActorGunicorn.IntegrationTests.Infrastructure;

/// <summary>Where the published artifacts and test applications are.</summary>
internal static class Paths
{
    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    /// <summary>The published executable (build.cake's Publish target).</summary>
    public static string Executable { get; } = Published(Path.Combine(RepositoryRoot, "artifacts", "actorgunicorn", "actorgunicorn"));

    /// <summary>The published .NET sample.</summary>
    public static string HelloWorld { get; } = Published(Path.Combine(RepositoryRoot, "artifacts", "samples", "HelloWorld", "HelloWorld.dll"));

    /// <summary>The misbehaving applications, built with the tests.</summary>
    public static string TestApps { get; } = Path.GetFullPath(Metadata("TestAppsAssembly"));

    private static string Metadata(string key) =>
        typeof(Paths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"assembly metadata {key} is missing");

    private static string Published(string path) =>
        File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: run `./build.sh --target=Publish` (or the README's test command) first.", path);
}
