using System.Reflection;
using ActorGunicorn.Configuration;
using ActorGunicorn.Hosting.Tests.Infrastructure;
using PublicApiGenerator;
using Xunit;

namespace ActorGunicorn.Hosting.Tests;

/// <summary>
/// The public API of the Hosting and Core packages, compared with the approved snapshots in PublicApi/. A change to
/// either is deliberate: regenerate the snapshots with <c>UPDATE_PUBLIC_API=1</c> and review the diff.
/// </summary>
public sealed class PublicApiSpecs
{
    private const string UpdateVariable = "UPDATE_PUBLIC_API";

    [Fact]
    public void The_hosting_package_public_api_must_match_its_approved_snapshot() =>
        MatchesApproved(typeof(ActorGunicornHostingExtensions).Assembly);

    [Fact]
    public void The_core_package_public_api_must_match_its_approved_snapshot() =>
        MatchesApproved(typeof(ServerSettings).Assembly);

    private static void MatchesApproved(Assembly assembly)
    {
        var name = assembly.GetName().Name!;
        var approvedPath = Path.Combine(Paths.RepositoryRoot, "tests", "ActorGunicorn.Hosting.Tests", "PublicApi", $"{name}.approved.txt");
        var actual = assembly.GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false }).ReplaceLineEndings("\n");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(approvedPath, actual);
        }

        Assert.True(File.Exists(approvedPath), $"{approvedPath} is missing: run the tests with {UpdateVariable}=1 to create it");
        var approved = File.ReadAllText(approvedPath).ReplaceLineEndings("\n");
        Assert.True(
            approved == actual,
            $"The public API of {name} differs from {approvedPath}. If the change is intended, run the tests with {UpdateVariable}=1 and commit the new snapshot. First difference:\n{FirstDifference(approved, actual)}");
    }

    private static string FirstDifference(string approved, string actual)
    {
        var approvedLines = approved.Split('\n');
        var actualLines = actual.Split('\n');
        for (int i = 0; i < Math.Max(approvedLines.Length, actualLines.Length); i++)
        {
            var was = i < approvedLines.Length ? approvedLines[i] : "(end)";
            var now = i < actualLines.Length ? actualLines[i] : "(end)";
            if (was != now)
            {
                return $"line {i + 1}: approved `{was}`, now `{now}`";
            }
        }

        return "(none)";
    }
}
