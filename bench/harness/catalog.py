"""What is measured: the scenarios (an application and a request) and the servers that run them.

Peers run with their usual settings and the same worker count as ActorGunicorn; gunicorn's gthread worker and
waitress get ``threads`` threads. Paths in commands are absolute at run time and shown relative to the repository
in the report.
"""

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Paths:
    """Where the executables and applications are."""

    root: Path
    python: str
    actorgunicorn: Path
    hello_dll: Path
    kestrel: Path
    embedded: Path

    @staticmethod
    def under(root, python):
        root = Path(root).resolve()
        return Paths(
            root=root,
            python=python,
            actorgunicorn=root / "artifacts/actorgunicorn/actorgunicorn",
            hello_dll=root / "artifacts/samples/HelloWorld/HelloWorld.dll",
            kestrel=root / "artifacts/bench/kestrel-hello/kestrel-hello",
            embedded=root / "artifacts/bench/embedded-hello/embedded-hello")


@dataclass(frozen=True)
class Scenario:
    """An application and the request wrk sends it.

    ``kind`` is ``wsgi`` (``module`` in ``app_dir``) or ``dotnet`` (the HelloWorld sample, or Kestrel's hello).
    ``expect`` is the body a GET of ``path`` must return before the server is loaded (None: any 200).
    """

    name: str
    title: str
    kind: str
    path: str = "/"
    app_dir: str = ""
    module: str = ""
    script: str | None = None
    expect: bytes | None = None


SCENARIOS = [
    Scenario("wsgi-hello", "plain WSGI hello", "wsgi", app_dir="samples/wsgi", module="hello:application",
             expect=b"Hello, World!"),
    Scenario("flask-hello", "Flask hello", "wsgi", app_dir="samples/flask_app", module="app:app",
             expect=b"Hello, World!"),
    Scenario("get-10k", "GET 10 KB", "wsgi", app_dir="bench/apps", module="get_10k:application",
             expect=b"x" * 10240),
    Scenario("post-echo-10k", "POST echo 10 KB", "wsgi", app_dir="bench/apps", module="echo:application",
             script="bench/wrk/post_10k.lua", expect=b""),
    Scenario("dotnet-hello", ".NET hello", "dotnet", expect=b"Hello, World!"),
]

SCENARIOS_BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}


@dataclass(frozen=True)
class ServerKind:
    """A server: which scenario kinds it runs and how it is started."""

    name: str
    kinds: tuple
    note: str

    def serves(self, scenario):
        return scenario.kind in self.kinds

    def command(self, scenario, paths, port, workers, threads):
        """The command line for ``scenario`` on 127.0.0.1:``port``."""
        address = f"127.0.0.1:{port}"
        app_dir = str(paths.root / scenario.app_dir)
        python = paths.python
        match self.name:
            case "actorgunicorn" if scenario.kind == "dotnet":
                return [str(paths.actorgunicorn), "-w", str(workers), "-b", address, str(paths.hello_dll)]
            case "actorgunicorn":
                return [str(paths.actorgunicorn), "-w", str(workers), "-b", address, "--python", python,
                        "--chdir", app_dir, scenario.module]
            case "gunicorn-sync":
                return [python, "-m", "gunicorn", "-w", str(workers), "-k", "sync", "-b", address,
                        "--chdir", app_dir, scenario.module]
            case "gunicorn-gthread":
                return [python, "-m", "gunicorn", "-w", str(workers), "-k", "gthread", "--threads", str(threads),
                        "-b", address, "--chdir", app_dir, scenario.module]
            case "uwsgi":
                return ["uwsgi", "--plugin", "python3", "--http11-socket", address, "--master",
                        "--processes", str(workers), "--chdir", app_dir, "--pythonpath", app_dir,
                        "--module", scenario.module, "--need-app", "--disable-logging", "--die-on-term"]
            case "waitress":
                return [python, str(paths.root / "bench/apps/waitress_serve.py"), f"--listen={address}",
                        f"--threads={threads}", scenario.module]
            case "kestrel":
                return [str(paths.kestrel), "--urls", f"http://{address}"]
            case "actorgunicorn-embedded":
                return [str(paths.embedded), "--bind", address, "--threads", str(threads)]
        raise ValueError(f"unknown server {self.name}")

    def working_directory(self, scenario, paths):
        """waitress imports from its working directory; the others are told where the application is."""
        return paths.root / scenario.app_dir if scenario.kind == "wsgi" else paths.root


SERVERS = [
    ServerKind("actorgunicorn", ("wsgi", "dotnet"),
               "`-w N`; WSGI on Debian's CPython (`--python /usr/bin/python3`), one thread per worker."),
    ServerKind("gunicorn-sync", ("wsgi",), "`-w N -k sync`: gunicorn's default worker."),
    ServerKind("gunicorn-gthread", ("wsgi",), "`-w N -k gthread --threads T`."),
    ServerKind("uwsgi", ("wsgi",),
               "`--master --processes N --http11-socket` (HTTP/1.1 with keep-alive in each worker, no router)."),
    ServerKind("waitress", ("wsgi",),
               "one process, `--threads=T` (waitress has no workers); its per-request queue warning silenced."),
    ServerKind("kestrel", ("dotnet",),
               "ASP.NET Core minimal API, web-template defaults (server GC); one process."),
    ServerKind("actorgunicorn-embedded", ("dotnet",),
               "in-process mode: a generic host with Akka.Hosting serving HelloWorld through `WithActorGunicorn`, "
               "`threads` T; one process, like Kestrel."),
]

SERVERS_BY_NAME = {server.name: server for server in SERVERS}
