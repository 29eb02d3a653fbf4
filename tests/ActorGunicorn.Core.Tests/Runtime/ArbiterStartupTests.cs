using ActorGunicorn.Runtime;
using Xunit;

namespace ActorGunicorn.Core.Tests.Runtime;

/// <summary>The command a USR2 child runs: the arbiter's own, as it was typed.</summary>
public sealed class ArbiterStartupTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actorgunicorn-startup-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_relative_command_is_made_absolute_against_the_start_directory_without_resolving_links()
    {
        var release = Directory.CreateDirectory(Path.Combine(_directory, "release-1")).FullName;
        File.WriteAllText(Path.Combine(release, "actorgunicorn"), string.Empty);
        Directory.CreateSymbolicLink(Path.Combine(_directory, "current"), release);

        var command = ArbiterStartup.FromCommandLine(["current/actorgunicorn", "-w", "2", "app:app"], _directory, path: null);

        Assert.NotNull(command);
        Assert.Equal(Path.Combine(_directory, "current", "actorgunicorn"), command.Value.Executable);
        Assert.Equal(["-w", "2", "app:app"], command.Value.Arguments);
    }

    [Fact]
    public void A_bare_command_is_found_on_path_as_the_shell_found_it()
    {
        var bin = Directory.CreateDirectory(Path.Combine(_directory, "bin")).FullName;
        File.WriteAllText(Path.Combine(bin, "actorgunicorn"), string.Empty);

        var command = ArbiterStartup.FromCommandLine(["actorgunicorn", "app:app"], "/", $"/no/such/dir:{bin}");

        Assert.Equal(Path.Combine(bin, "actorgunicorn"), command?.Executable);
    }

    [Fact]
    public void A_command_that_cannot_be_found_gives_no_answer() =>
        Assert.Null(ArbiterStartup.FromCommandLine(["no-such-command-here", "app:app"], "/", "/no/such/dir"));

    [Fact]
    public void The_dotnet_host_keeps_the_assembly_it_was_given()
    {
        var command = ArbiterStartup.FromCommandLine(["/usr/bin/dotnet", "actorgunicorn.dll", "app:app"], _directory, path: null);

        Assert.Equal(("/usr/bin/dotnet", "actorgunicorn.dll"), (command?.Executable, command?.Arguments[0]));
    }
}
