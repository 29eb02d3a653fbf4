using ActorGunicorn.Configuration;
using ActorGunicorn.Gateway;
using ActorGunicorn.Hooks;
using Xunit;

namespace ActorGunicorn.Core.Tests.Hooks;

/// <summary>Loading the class --server-hooks names, and the errors that name the setting.</summary>
public sealed class DotNetHooksTests
{
    private static readonly string TestAssembly = typeof(RecordingHooks).Assembly.Location;

    [Fact]
    public void A_named_class_is_loaded_sharing_the_servers_gateway_contract()
    {
        var hooks = DotNetHooks.Load($"{TestAssembly}:{typeof(LifecycleOnlyHooks).FullName}");

        Assert.IsAssignableFrom<IServerHooks>(hooks);
        Assert.Equal(typeof(LifecycleOnlyHooks).FullName, hooks.GetType().FullName);
    }

    [Theory]
    [InlineData("/nonexistent/Hooks.dll", "--server-hooks / actorgunicorn.server-hooks: '/nonexistent/Hooks.dll' does not exist (/nonexistent/Hooks.dll)")]
    [InlineData("hooks.py", "--server-hooks / actorgunicorn.server-hooks: 'hooks.py' is not a .NET hooks class: expected path/Hooks.dll or path/Hooks.dll:Namespace.Type")]
    public void A_missing_or_wrong_file_is_an_error_naming_the_setting(string spec, string message)
    {
        Assert.Equal(message, Assert.Throws<SettingsException>(() => DotNetHooks.Load(spec)).Message);
    }

    [Fact]
    public void A_class_that_is_not_a_hooks_class_is_an_error_naming_the_setting_and_the_interface()
    {
        var error = Assert.Throws<SettingsException>(() => DotNetHooks.Load($"{TestAssembly}:{typeof(NotHooks).FullName}"));

        Assert.Equal(
            $"--server-hooks / actorgunicorn.server-hooks: '{typeof(NotHooks).FullName}' in '{TestAssembly}' does not implement ActorGunicorn.Gateway.IServerHooks",
            error.Message);
    }

    [Fact]
    public void An_assembly_with_several_hooks_classes_needs_one_named()
    {
        var error = Assert.Throws<SettingsException>(() => DotNetHooks.Load(TestAssembly));

        Assert.Contains("has several hooks classes", error.Message, StringComparison.Ordinal);
        Assert.Contains($"name one as {TestAssembly}:Namespace.Type", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_assembly_without_a_hooks_class_is_an_error()
    {
        var gateway = typeof(IServerHooks).Assembly.Location;

        Assert.Equal(
            $"--server-hooks / actorgunicorn.server-hooks: '{gateway}' has no public class implementing ActorGunicorn.Gateway.IServerHooks",
            Assert.Throws<SettingsException>(() => DotNetHooks.Load(gateway)).Message);
    }
}
