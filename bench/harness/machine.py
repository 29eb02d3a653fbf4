"""The machine and the versions of everything measured, for the report's header."""

import os
import platform
import re
import subprocess


def _output(command):
    try:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return (completed.stdout or completed.stderr).strip()


def _first_line(command):
    text = _output(command)
    return text.splitlines()[0] if text else "not found"


def _python_package(python, name):
    code = f"import importlib.metadata as m; print(m.version({name!r}))"
    return _first_line([python, "-c", code])


def _cpu_model():
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory_gib():
    with open("/proc/meminfo", encoding="ascii") as meminfo:
        kib = int(meminfo.readline().split()[1])
    return kib / 1024 / 1024


def _os_name():
    try:
        with open("/etc/os-release", encoding="utf-8") as release:
            match = re.search(r'^PRETTY_NAME="?([^"\n]*)', release.read(), re.MULTILINE)
            return match.group(1) if match else "unknown"
    except FileNotFoundError:
        return "unknown"


def _runtime(name):
    """The newest installed version of a shared framework."""
    lines = _output(["dotnet", "--list-runtimes"]).splitlines()
    versions = [line.split()[1] for line in lines if line.startswith(name + " ")]
    return versions[-1] if versions else "not found"


def describe(paths):
    """Machine facts and tool versions, as (label, value) pairs in report order."""
    git = _first_line(["git", "-C", str(paths.root), "describe", "--always", "--dirty"])
    return [
        ("CPU", f"{_cpu_model()}, {os.cpu_count()} cores"),
        ("memory", f"{_memory_gib():.1f} GiB"),
        ("OS / kernel", f"{_os_name()}, Linux {platform.release()}"),
        ("ActorGunicorn", f"{_first_line([str(paths.actorgunicorn), '--version'])} (commit {git})"),
        (".NET", f"SDK {_first_line(['dotnet', '--version'])}, runtime {_runtime('Microsoft.NETCore.App')}, "
                 f"ASP.NET Core {_runtime('Microsoft.AspNetCore.App')}"),
        ("Python", f"{_first_line([paths.python, '-V'])} ({paths.python}); Flask {_python_package(paths.python, 'flask')}"),
        ("gunicorn", _python_package(paths.python, "gunicorn")),
        ("uWSGI", _first_line(["uwsgi", "--version"]) + " (uwsgi-plugin-python3)"),
        ("waitress", _python_package(paths.python, "waitress")),
        ("wrk", " ".join(_first_line(["wrk", "-v"]).split()[:3])),
        ("h2load (nghttp2-client)", _first_line(["h2load", "--version"]) + "; installed for HTTP/2, not used yet"),
    ]
