using ActorGunicorn.Arbitration;
using Xunit;

namespace ActorGunicorn.Core.Tests.Arbitration;

public sealed class WorkerEnvironmentTests
{
    [Fact]
    public void A_worker_gets_the_small_gen0_budget_when_the_environment_names_none()
    {
        var environment = new Dictionary<string, string?> { ["PATH"] = "/usr/bin" };

        WorkerEnvironment.ApplyDefaults(environment);

        Assert.Equal(WorkerEnvironment.Gen0Budget, environment["DOTNET_GCgen0size"]);
        Assert.Equal("/usr/bin", environment["PATH"]);
    }

    [Theory]
    [InlineData("DOTNET_GCgen0size")]
    [InlineData("COMPlus_GCgen0size")]
    public void The_operators_own_gen0_setting_wins(string name)
    {
        var environment = new Dictionary<string, string?> { [name] = "0x10000000" };

        WorkerEnvironment.ApplyDefaults(environment);

        Assert.Equal("0x10000000", environment[name]);
        Assert.Single(environment);
    }
}
