using Akka.Configuration;
using ActorGunicorn.Configuration;
using Xunit;

namespace ActorGunicorn.Core.Tests.Configuration;

public sealed class ConfigurationOverlayTests
{
    [Fact]
    public void An_update_merges_over_the_overlay_in_force_and_unset_keys_leave_it()
    {
        var first = ConfigurationOverlay.Merge(string.Empty, "actorgunicorn { timeout = 45, max-requests = 1000 }", []);
        var second = ConfigurationOverlay.Merge(first, "actorgunicorn.max-requests = 10", ["timeout"]);

        var merged = ConfigurationFactory.ParseString(second);
        Assert.Equal(10, merged.GetInt("actorgunicorn.max-requests"));
        Assert.False(merged.HasPath("actorgunicorn.timeout"), second);
        // The text is canonical, so the same settings give the same text whatever their spelling was.
        Assert.Equal(second, ConfigurationOverlay.Merge(string.Empty, "actorgunicorn { max-requests: 10 }", []));
    }

    [Theory]
    [InlineData("akka.loglevel = DEBUG", "'akka' is outside actorgunicorn { }")]
    [InlineData("actorgunicorn { threadz = 4 }", "actorgunicorn.threadz is not a setting; did you mean actorgunicorn.threads?")]
    [InlineData("actorgunicorn { threads = many }", "actorgunicorn.threads: 'many' is not an integer")]
    public void An_overlay_is_checked_as_a_configuration_file_is(string text, string message)
    {
        Assert.Contains(message, Assert.Throws<SettingsException>(() => ConfigurationOverlay.Merge(string.Empty, text, [])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pinned_worker_count_lies_over_every_reload_and_raises_a_lower_ceiling_with_it()
    {
        var overlay = new ConfigurationOverlay();
        overlay.PinWorkers(6);

        var settings = overlay.ApplyTo(Load("-w", "2", "--max-workers", "4")).Settings;

        Assert.Equal((6, 6), (settings.Workers, settings.MaxWorkers));
    }

    [Fact]
    public void An_overlay_that_sets_workers_replaces_the_pinned_count()
    {
        var overlay = new ConfigurationOverlay();
        overlay.PinWorkers(6);
        overlay.Apply(1, "actorgunicorn.workers = 3", ReferenceConfig.Load());

        Assert.Equal((3, (int?)null), (overlay.ApplyTo(Load("-w", "2")).Settings.Workers, overlay.PinnedWorkers));
    }

    private static LoadedConfiguration Load(params string[] args) =>
        SettingsLoader.Load([.. args, "app:app"], new Dictionary<string, string?>(), AppContext.BaseDirectory);
}
