using System.Text.RegularExpressions;
using ActorGunicorn.Core.Tests.Configuration;
using ActorGunicorn.Gateway;
using ActorGunicorn.Hooks;
using Xunit;

namespace ActorGunicorn.Core.Tests.Hooks;

/// <summary>The hooks the server knows, the Python side's signatures and the .NET interface name the same set.</summary>
public sealed partial class HookNamesTests
{
    [Fact]
    public void The_python_signatures_cover_exactly_the_servers_hooks()
    {
        var source = File.ReadAllText(Repository.PathOf("src/ActorGunicorn.Wsgi/Shim/actorgunicorn_hooks.py"));
        var table = source[source.IndexOf("SIGNATURES = {", StringComparison.Ordinal)..source.IndexOf("\n}\n", StringComparison.Ordinal)];

        Assert.Equal(HookNames.All.Order(StringComparer.Ordinal), SignatureName().Matches(table).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_hook_has_a_method_on_the_dotnet_interface()
    {
        var methods = typeof(IServerHooks).GetMethods().Select(m => m.Name).ToHashSet();

        Assert.Equal(HookNames.All.Count(), methods.Count);
        Assert.All(HookNames.All, hook => Assert.Contains(
            hook == "nworkers_changed" ? "NumWorkersChanged" : string.Concat(hook.Split('_').Select(word => char.ToUpperInvariant(word[0]) + word[1..])),
            methods));
    }

    [Fact]
    public void Every_hook_runs_in_exactly_one_kind_of_process()
    {
        Assert.Empty(HookNames.Arbiter.Intersect(HookNames.Worker));
        Assert.Equal(14, HookNames.All.Distinct().Count());
    }

    [GeneratedRegex(@"""(\w+)"": \(")]
    private static partial Regex SignatureName();
}
