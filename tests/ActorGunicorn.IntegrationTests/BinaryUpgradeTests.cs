using System.Globalization;
using ActorGunicorn.IntegrationTests.Infrastructure;
using Xunit;

namespace ActorGunicorn.IntegrationTests;

/// <summary>
/// gunicorn's binary upgrade: USR2 starts a new arbiter on the same listeners, WINCH stops the old arbiter's workers,
/// QUIT ends it, and the new arbiter is promoted. Real processes, real signals, a real load generator.
/// </summary>
public sealed class BinaryUpgradeTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("actorgunicorn-upgrade-").FullName;

    private string PidFile => Path.Combine(_directory, "app.pid");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Usr2_winch_and_quit_under_keep_alive_load_hand_every_client_to_the_new_arbiter_without_an_error()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(
            ["-w", "2", "-b", "127.0.0.1:0", "-p", PidFile, "--graceful-timeout", "10", Paths.HelloWorld], workers: 2);
        var oldWorkers = await Upgrades.WorkersServingAsync(server, server.Pid, 2);
        int newArbiter = 0;
        try
        {
            var load = Wrk.RunAsync(server.Port, TimeSpan.FromSeconds(20), connections: 16);
            await Upgrades.PollUntilAsync(() => Upgrades.EstablishedConnections(server.Port) >= 16, "wrk's 16 connections");

            newArbiter = await Upgrades.ReexecAsync(server, PidFile);
            Assert.Equal(server.Pid, ProcessStatus.Parent(newArbiter));
            var newWorkers = await Upgrades.WorkersServingAsync(server, newArbiter, 2);
            // Both arbiters run: each has its pid file.
            Assert.Equal($"{server.Pid}", Upgrades.TryRead(PidFile));
            Assert.Equal($"{newArbiter}", Upgrades.TryRead(PidFile + ".2"));

            server.Signal(Upgrades.SigWinch);
            foreach (var worker in oldWorkers)
            {
                Assert.True(await ProcessInfo.WaitForExitAsync(worker, Patience), $"old worker {worker} still runs\n{server.Output}");
            }

            Assert.True(ProcessInfo.IsAlive(server.Pid), "WINCH stops the workers, not the arbiter");
            server.Signal(ServerUnderTest.SigQuit);
            Assert.True(await ProcessInfo.WaitForExitAsync(server.Pid, Patience));
            await server.WaitForLineAsync(l => l.Contains($"[{newArbiter}] [INFO] Master has been promoted.", StringComparison.Ordinal), Patience);
            var result = await load;

            Assert.Equal($"{newArbiter}", Upgrades.TryRead(PidFile));
            Assert.False(File.Exists(PidFile + ".2"));
            Assert.Contains(await Upgrades.ServedByAsync(server.Port), newWorkers);
            Assert.True(result.Requests > 1000, result.Output);
            Assert.Equal(0, result.NonSuccess);
            Assert.Equal(0, result.SocketErrors);
            Assert.Contains(server.Lines, l => l.Contains($"[{server.Pid}] [INFO] graceful stop of workers", StringComparison.Ordinal));
        }
        finally
        {
            await Upgrades.StopAsync(newArbiter);
        }
    }

    [Fact]
    public async Task Usr2_after_the_current_link_moves_to_a_new_release_runs_the_new_release_while_old_workers_keep_theirs()
    {
        // The usual layout: releases side by side, a `current` link, the server started through the link.
        var release1 = CopyRelease("release-1");
        var release2 = CopyRelease("release-2");
        var current = Path.Combine(_directory, "current");
        Directory.CreateSymbolicLink(current, release1);
        await using var server = ServerUnderTest.StartTool(Path.Combine(current, "actorgunicorn"), ["-b", "127.0.0.1:0", "-p", PidFile, Paths.HelloWorld]);
        await server.WaitForLineAsync(l => l.Contains("Listening at:", StringComparison.Ordinal));
        var oldWorker = (await Upgrades.WorkersServingAsync(server, server.Pid, 1)).Single();
        int child = 0;
        try
        {
            Directory.Delete(current);
            Directory.CreateSymbolicLink(current, release2);
            child = await Upgrades.ReexecAsync(server, PidFile);
            var newWorker = (await Upgrades.WorkersServingAsync(server, child, 1)).Single();

            Assert.Equal(Path.Combine(release1, "actorgunicorn"), Executable(server.Pid));
            Assert.Equal(Path.Combine(release1, "actorgunicorn"), Executable(oldWorker));
            Assert.Equal(Path.Combine(release2, "actorgunicorn"), Executable(child));
            Assert.Equal(Path.Combine(release2, "actorgunicorn"), Executable(newWorker));
        }
        finally
        {
            await Upgrades.StopAsync(child);
        }
    }

    [Fact]
    public async Task Usr2_is_refused_on_both_sides_while_an_upgrade_runs_and_accepted_again_after_promotion()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(["-b", "127.0.0.1:0", "-p", PidFile, Paths.HelloWorld]);
        int child = 0, grandchild = 0;
        try
        {
            child = await Upgrades.ReexecAsync(server, PidFile);
            await Upgrades.WorkersServingAsync(server, child, 1);

            server.Signal(Upgrades.SigUsr2);
            ProcessInfo.Signal(child, Upgrades.SigUsr2);
            await server.WaitForLineAsync(l => l.Contains($"[{server.Pid}] [WARNING] USR2 signal ignored. Child exists.", StringComparison.Ordinal));
            await server.WaitForLineAsync(l => l.Contains($"[{child}] [WARNING] USR2 signal ignored. Parent exists.", StringComparison.Ordinal));

            server.Signal(ServerUnderTest.SigTerm);
            await server.WaitForLineAsync(l => l.Contains($"[{child}] [INFO] Master has been promoted.", StringComparison.Ordinal), Patience);
            File.Delete(PidFile + ".2");
            ProcessInfo.Signal(child, Upgrades.SigUsr2);
            var reexecuting = await server.WaitForLineAsync(l => l.Contains($"[{child}] [INFO] Re-executing: new master (pid:", StringComparison.Ordinal));
            grandchild = int.Parse(reexecuting.Split("(pid:")[1].Split(')')[0], CultureInfo.InvariantCulture);
            // The file appears before its content: wait for the pid in it, not for the file.
            await Files.WaitForContentAsync(PidFile + ".2", grandchild.ToString(CultureInfo.InvariantCulture), Patience);

            Assert.Equal(child, ProcessStatus.Parent(grandchild));
            Assert.Single(server.Lines, l => l.Contains("Re-executing", StringComparison.Ordinal) && l.Contains($"[{server.Pid}]", StringComparison.Ordinal));
        }
        finally
        {
            await Upgrades.StopAsync(grandchild);
            await Upgrades.StopAsync(child);
        }
    }

    [Fact]
    public async Task A_unix_socket_outlives_the_old_arbiter_and_the_promoted_one_removes_it()
    {
        var socketPath = Path.Combine(_directory, "app.sock");
        await using var server = ServerUnderTest.Start(["-b", $"unix:{socketPath}", "-p", PidFile, Paths.HelloWorld]);
        await server.WaitForLineAsync(l => l.Contains($"Listening at: unix:{socketPath}", StringComparison.Ordinal));
        int child = 0;
        try
        {
            child = await Upgrades.ReexecAsync(server, PidFile);
            await server.WaitForLineAsync(l => l.Contains($"[{child}] [INFO] Listening at: unix:{socketPath}", StringComparison.Ordinal));

            server.Signal(ServerUnderTest.SigTerm);
            Assert.True(await ProcessInfo.WaitForExitAsync(server.Pid, Patience));
            await server.WaitForLineAsync(l => l.Contains($"[{child}] [INFO] Master has been promoted.", StringComparison.Ordinal), Patience);
            var hello = await Tools.CurlAsync("--unix-socket", socketPath, "http://localhost/");

            Assert.True(File.Exists(socketPath), "the old arbiter removed the socket its USR2 child serves on");
            Assert.Equal("Hello, World!", hello.StandardOutput);

            ProcessInfo.Signal(child, ServerUnderTest.SigTerm);
            Assert.True(await ProcessInfo.WaitForExitAsync(child, Patience));
            Assert.False(File.Exists(socketPath), "the promoted arbiter, last of the line, removes the socket file");
        }
        finally
        {
            await Upgrades.StopAsync(child);
        }
    }

    // The program a process runs, as the kernel resolved it.
    private static string? Executable(int pid) => new FileInfo($"/proc/{pid}/exe").LinkTarget;

    // A copy of the published executable's directory: a "release" of the server.
    private string CopyRelease(string name)
    {
        var source = Path.GetDirectoryName(Paths.Executable)!;
        var target = Path.Combine(_directory, name);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
            File.SetUnixFileMode(copy, File.GetUnixFileMode(file));
        }

        return target;
    }

    [Fact]
    public async Task Winch_to_an_arbiter_without_a_usr2_child_is_ignored_unless_daemonized()
    {
        await using var server = await ServerUnderTest.StartListeningAsync(["-b", "127.0.0.1:0", "--log-level", "debug", Paths.HelloWorld]);
        int worker = server.WorkerPids.Single();

        server.Signal(Upgrades.SigWinch);
        await server.WaitForLineAsync(l => l.Contains("SIGWINCH ignored. Not daemonized", StringComparison.Ordinal));

        Assert.Equal(worker, await Upgrades.ServedByAsync(server.Port));
        Assert.DoesNotContain(server.Lines, l => l.Contains("graceful stop of workers", StringComparison.Ordinal));
    }
}
