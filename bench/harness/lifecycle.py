"""Starting a server for one measurement and stopping it afterwards, whatever happens in between."""

import contextlib
import socket

from . import probe
from .processes import Server


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        return probe_socket.getsockname()[1]


@contextlib.contextmanager
def running(kind, scenario, paths, settings, workers, out_dir, tag):
    """Starts ``kind`` on ``scenario``, waits for a correct 200, yields (server, port), and always stops it."""
    port = free_port()
    command = kind.command(scenario, paths, port, workers, settings.threads)
    server = Server(command, kind.working_directory(scenario, paths), out_dir / f"server-{tag}.log")
    try:
        probe.wait_until_serving(server, port, scenario.path, settings.ready_timeout)
        if scenario.expect is not None:
            status, body = probe.get(port, scenario.path)
            if status != 200 or body != scenario.expect:
                raise probe.BenchError(
                    f"{kind.name} answered {status} with {body[:60]!r}... on {scenario.path}, "
                    f"not the {scenario.name} body")
        yield server, port
    finally:
        server.stop()


def display_command(command, paths, port):
    """The command as the report shows it: paths relative to the repository, the port as {port}."""
    root = str(paths.root) + "/"
    return " ".join(
        ("'" + part + "'" if " " in part else part).replace(root, "").replace(f":{port}", ":{port}")
        for part in command)
