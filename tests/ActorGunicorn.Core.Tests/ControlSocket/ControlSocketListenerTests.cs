using System.Net.Sockets;
using ActorGunicorn.ControlSocket;
using ActorGunicorn.Core.Tests.Configuration;
using Xunit;

namespace ActorGunicorn.Core.Tests.ControlSocket;

public sealed class ControlSocketListenerTests : IDisposable
{
    private static readonly int Mode0600 = Convert.ToInt32("600", 8);

    private readonly ScratchDirectory _directory = new();

    private string SocketPath => Path.Combine(_directory.Path, "test.ctl");

    [Theory]
    [InlineData("600")]
    [InlineData("660")]
    [InlineData("700")]
    public void The_socket_has_its_mode_and_nothing_is_left_beside_it(string octal)
    {
        using var listener = ControlSocketListener.Open(SocketPath, Convert.ToInt32(octal, 8));

        Assert.Equal((UnixFileMode)Convert.ToInt32(octal, 8), File.GetUnixFileMode(SocketPath));
        Assert.Equal(["test.ctl"], Directory.GetFileSystemEntries(_directory.Path).Select(Path.GetFileName));
        Assert.True(ControlSocketListener.Answers(SocketPath));
    }

    [Fact]
    public void A_missing_directory_is_created_private()
    {
        var path = Path.Combine(_directory.Path, "made", "test.ctl");

        using var listener = ControlSocketListener.Open(path, Mode0600);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void Disposing_closes_the_socket_and_removes_the_file()
    {
        var listener = ControlSocketListener.Open(SocketPath, Mode0600);

        listener.Dispose();

        Assert.False(File.Exists(SocketPath));
    }

    [Fact]
    public void A_socket_file_whose_server_is_gone_is_replaced()
    {
        using (var dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            dead.Bind(new UnixDomainSocketEndPoint(SocketPath));
        }

        using var listener = ControlSocketListener.Open(SocketPath, Mode0600);

        Assert.True(ControlSocketListener.Answers(SocketPath));
    }

    [Fact]
    public void A_live_servers_socket_is_refused_and_left_alone()
    {
        using var first = ControlSocketListener.Open(SocketPath, Mode0600);

        var refused = Assert.Throws<ControlSocketInUseException>(() => ControlSocketListener.Open(SocketPath, Mode0600));

        Assert.Equal($"cannot create the control socket '{SocketPath}': another running server answers there", refused.Message);
        Assert.True(ControlSocketListener.Answers(SocketPath));
    }

    [Fact]
    public void A_file_that_is_not_a_socket_is_never_replaced()
    {
        File.WriteAllText(SocketPath, "precious");

        var refused = Assert.Throws<ControlSocketException>(() => ControlSocketListener.Open(SocketPath, Mode0600));

        Assert.Equal($"cannot create the control socket '{SocketPath}': it exists and is not a socket", refused.Message);
        Assert.Equal("precious", File.ReadAllText(SocketPath));
    }

    [Fact]
    public void Disposing_leaves_a_socket_that_another_server_put_at_the_path_since()
    {
        var first = ControlSocketListener.Open(SocketPath, Mode0600);
        File.Delete(SocketPath);
        using var second = ControlSocketListener.Open(SocketPath, Mode0600);

        first.Dispose();

        Assert.True(ControlSocketListener.Answers(SocketPath));
    }

    [Fact]
    public void A_path_too_long_for_a_socket_is_refused_with_its_length()
    {
        var path = Path.Combine(_directory.Path, new string('x', 120));

        var refused = Assert.Throws<ControlSocketException>(() => ControlSocketListener.Open(path, Mode0600));

        Assert.Contains("a Unix socket path holds at most 107", refused.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();
}
