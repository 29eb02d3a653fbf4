using ActorGunicorn.Configuration;
using ActorGunicorn.Reloading;
using Akka.Configuration;
using Xunit;

namespace ActorGunicorn.Core.Tests.Reloading;

public sealed class CodeWatchPlanTests
{
    private const string Start = "/srv/start";

    private static IReadOnlyList<WatchedFiles> PlanFor(string app, string? chdir = null, string[]? pythonPath = null, string[]? extra = null)
    {
        var block = $$"""
            actorgunicorn {
              app = {{Quote(app)}}
              chdir = {{(chdir is null ? "null" : Quote(chdir))}}
              pythonpath = {{(pythonPath is null ? "null" : Quote(string.Join(',', pythonPath)))}}
              reload-extra-files = [{{string.Join(", ", (extra ?? []).Select(Quote))}}]
            }
            """;
        return CodeWatchPlan.For(ServerSettings.Create(ConfigurationFactory.ParseString(block)), Start);
    }

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    [Fact]
    public void A_python_application_is_watched_as_its_source_tree_and_pythonpath()
    {
        Assert.Equal(
            [new("/srv/site", "*.py", true), new("/srv/site/src", "*.py", true), new("/opt/lib", "*.py", true)],
            PlanFor("myproject.wsgi", chdir: "../site", pythonPath: ["src", "/opt/lib"]));
    }

    [Fact]
    public void A_dotnet_application_is_watched_as_the_assemblies_beside_it()
    {
        Assert.Equal([new("/srv/start/bin", "*.dll", false)], PlanFor("bin/App.dll:My.App"));
    }

    [Theory]
    [InlineData("templates/**/*.html", "/srv/start/templates", "*.html", true)]
    [InlineData("conf/*.ini", "/srv/start/conf", "*.ini", false)]
    [InlineData("settings.toml", "/srv/start", "settings.toml", false)]
    [InlineData("/etc/app/app.conf", "/etc/app", "app.conf", false)]
    [InlineData("/etc/*/app.conf", "/etc", "app.conf", true)]
    public void An_extra_file_or_glob_is_watched_from_its_first_wildcard(string entry, string directory, string pattern, bool recursive)
    {
        Assert.Equal(new WatchedFiles(directory, pattern, recursive), PlanFor("app:application", extra: [entry])[^1]);
    }

    [Theory]
    [InlineData("/home/u/.projects/site", "/home/u/.projects/site/app.py", false)]
    [InlineData("/home/u/.projects/site", "/home/u/.projects/site/pkg/views.py", false)]
    [InlineData("/srv/site", "/srv/site/.venv/lib/x.py", true)]
    [InlineData("/srv/site", "/srv/site/.git/hooks/x.py", true)]
    [InlineData("/srv/site", "/srv/site/pkg/__pycache__/views.py", true)]
    [InlineData("/srv/site", "/srv/site/env/lib/python3.11/site-packages/flask/app.py", true)]
    [InlineData("/srv/site", "/srv/site/web/node_modules/x/build.py", true)]
    public void Caches_environments_and_hidden_directories_below_the_watched_one_are_skipped(string directory, string path, bool skipped)
    {
        Assert.Equal(skipped, CodeWatchPlan.IsSkipped(directory, path));
    }
}
