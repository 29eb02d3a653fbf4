using ActorGunicorn.ControlSocket;
using Xunit;

namespace ActorGunicorn.Core.Tests.ControlSocket;

public sealed class ControlSocketPathTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void A_configured_path_wins_over_the_defaults() =>
        Assert.Equal("/srv/app/ctl.sock", ControlSocketPath.Resolve("/srv/app/ctl.sock", Environment(("XDG_RUNTIME_DIR", "/run/user/1000"))));

    [Fact]
    public void A_relative_configured_path_is_taken_from_the_working_directory() =>
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "app.ctl"), ControlSocketPath.Resolve("app.ctl", Environment()));

    [Fact]
    public void The_default_is_in_the_users_runtime_directory_when_there_is_one() =>
        Assert.Equal("/run/user/1000/actorgunicorn.ctl", ControlSocketPath.Resolve(null, Environment(("XDG_RUNTIME_DIR", "/run/user/1000"), ("HOME", "/home/ann"))));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Without_a_runtime_directory_the_default_is_a_private_directory_in_home(string? runtime) =>
        Assert.Equal("/home/ann/.actorgunicorn/actorgunicorn.ctl", ControlSocketPath.Resolve("", Environment(("XDG_RUNTIME_DIR", runtime!), ("HOME", "/home/ann"))));

    [Fact]
    public void A_path_longer_than_a_unix_socket_address_holds_is_refused_with_its_length()
    {
        var fits = "/" + new string('a', 106);
        var tooLong = fits + "b";

        Assert.Null(ControlSocketPath.CheckLength(fits));
        Assert.Equal($"'{tooLong}' is 108 bytes long; a Unix socket path holds at most 107", ControlSocketPath.CheckLength(tooLong));
    }
}
