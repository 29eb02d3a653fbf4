using ActorGunicorn.Configuration;
using ActorGunicorn.Hooks;
using Akka.Configuration;
using Xunit;

namespace ActorGunicorn.Core.Tests.Hooks;

/// <summary>What hooks see as the settings: gunicorn's names, plain values.</summary>
public sealed class SettingsSnapshotTests
{
    [Fact]
    public void Settings_are_keyed_by_gunicorns_names_with_plain_values()
    {
        var config = ConfigurationFactory.ParseString("""
            actorgunicorn { workers = 3, bind = ["127.0.0.1:9000", "unix:/run/app.sock"], timeout = 12.5, app = "app:app" }
            """).WithFallback(ReferenceConfig.Load());

        var settings = SettingsSnapshot.From(config);

        Assert.Equal(3, settings["workers"]);
        Assert.Equal(["127.0.0.1:9000", "unix:/run/app.sock"], Assert.IsAssignableFrom<IReadOnlyList<string>>(settings["bind"]));
        Assert.Equal(TimeSpan.FromSeconds(12.5), settings["timeout"]);
        Assert.Equal("app:app", settings["wsgi_app"]);
        Assert.Null(settings["accesslog"]);
        Assert.False(settings.ContainsKey("config"));
        Assert.Equal(SettingsTable.All.Count(setting => setting.HoconKey is not null), settings.Count);
    }
}
