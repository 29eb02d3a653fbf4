using ActorGunicorn.Configuration;
using ActorGunicorn.Runtime;
using Akka.Configuration;
using Xunit;

namespace ActorGunicorn.Core.Tests.Runtime;

/// <summary>How --user and --group resolve to the ids a worker switches to.</summary>
public sealed class WorkerIdentityTests
{
    private static WorkerIdentity From(string block) =>
        WorkerIdentity.From(ServerSettings.Create(ConfigurationFactory.ParseString("actorgunicorn {\n" + block + "\n}")));

    [Fact]
    public void Without_user_or_group_a_worker_keeps_the_arbiters_identity()
    {
        var identity = WorkerIdentity.From(ServerSettings.Create(Config.Empty));

        Assert.False(identity.Switches);
    }

    [Fact]
    public void A_user_alone_brings_its_primary_group()
    {
        // Debian: nobody is uid 65534 with primary group 65534 (nogroup).
        var identity = From("user = nobody");

        Assert.Equal(new WorkerIdentity(65534, 65534, "nobody", false), identity);
    }

    [Fact]
    public void A_group_given_wins_over_the_users_primary_group()
    {
        var identity = From("user = nobody, group = \"0\", initgroups = true");

        Assert.Equal(new WorkerIdentity(65534, 0, "nobody", true), identity);
    }

    [Fact]
    public void A_numeric_user_the_system_does_not_know_switches_the_user_only()
    {
        var identity = From("user = \"4242\"");

        Assert.Equal(new WorkerIdentity(4242, null, null, false), identity);
    }

    [Fact]
    public void A_group_alone_switches_the_group_only()
    {
        var identity = From("group = nogroup");

        Assert.Equal(new WorkerIdentity(null, 65534, null, false), identity);
    }
}
