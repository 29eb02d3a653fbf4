"""gunicorn's Python configuration files and server hooks, for ActorGunicorn.

Run as a script (``python -c <this source> LOCATION SEARCH_PATH SETTINGS HOOKS``), it executes a configuration
file or module and prints, as JSON, the module-level names that are settings and the hooks it defines. The arbiter
reads its settings this way, in a subprocess of the chosen interpreter, and so needs no embedded Python unless
arbiter-side hooks are defined.

Imported by an embedded interpreter (the arbiter's, when it has hooks to run; a worker's, when its hooks are
defined), it executes the same configuration again and calls the hooks with gunicorn-like objects: ``server``
(pid, cfg, log, num_workers), ``worker`` (pid, ppid, age, cfg, log), ``req`` (method, uri, path, query, version,
headers) and ``resp`` (status, status_code, headers).
"""

import ctypes
import importlib
import importlib.machinery
import importlib.util
import inspect
import json
import os
import sys
import traceback

# Every hook and the arguments gunicorn passes it. post_request also accepts (worker, req) or (worker, req, environ).
SIGNATURES = {
    "on_starting": ("server",),
    "on_reload": ("server",),
    "when_ready": ("server",),
    "pre_fork": ("server", "worker"),
    "post_fork": ("server", "worker"),
    "post_worker_init": ("worker",),
    "worker_int": ("worker",),
    "worker_abort": ("worker",),
    "pre_request": ("worker", "req"),
    "post_request": ("worker", "req", "environ", "resp"),
    "child_exit": ("server", "worker"),
    "worker_exit": ("server", "worker"),
    "nworkers_changed": ("server", "new_value", "old_value"),
    "on_exit": ("server",),
}

# The host's log levels (Microsoft.Extensions.Logging's), and the logging module's numbers mapped onto them.
_DEBUG, _INFO, _WARNING, _ERROR, _CRITICAL = 1, 2, 3, 4, 5
_FROM_LOGGING = {10: _DEBUG, 20: _INFO, 30: _WARNING, 40: _ERROR, 50: _CRITICAL}


def extend_path(search_path):
    """Puts the directories (os.pathsep-separated, first one first) in front of sys.path."""
    for entry in reversed([entry for entry in search_path.split(os.pathsep) if entry]):
        if entry in sys.path:
            sys.path.remove(entry)
        sys.path.insert(0, entry)


def load_namespace(location):
    """Executes ``python:MODULE`` or ``file:PATH`` as gunicorn does and returns its module-level names."""
    if location.startswith("python:"):
        return vars(importlib.import_module(location[len("python:"):]))
    filename = location[len("file:"):] if location.startswith("file:") else location
    name = "__config__"
    if os.path.splitext(filename)[1] in (".py", ".pyc"):
        spec = importlib.util.spec_from_file_location(name, filename)
    else:
        # gunicorn runs a file with any other extension as Python source too.
        loader = importlib.machinery.SourceFileLoader(name, filename)
        spec = importlib.util.spec_from_file_location(name, filename, loader=loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return vars(module)


def hook_problem(name, value):
    """Why ``value`` cannot be the hook ``name`` (gunicorn checks callability and arity), or None."""
    if not callable(value):
        return "%r is not callable" % (value,)
    try:
        signature = inspect.signature(value)
    except (TypeError, ValueError):
        return None  # a builtin without a signature: it is called and may fail then
    parameters = SIGNATURES[name]
    counts = (4, 3, 2) if name == "post_request" else (len(parameters),)
    for count in counts:
        try:
            signature.bind(*range(count))
            return None
        except TypeError:
            pass
    return "must accept %d argument%s (%s)" % (
        len(parameters), "" if len(parameters) == 1 else "s", ", ".join(parameters))


def describe(namespace, setting_names, hook_names):
    """The configuration's settings (JSON values), its hooks, its invalid names and the names it ignores."""
    settings, invalid, hooks, ignored = {}, {}, [], []
    for name, value in namespace.items():
        if name in setting_names:
            try:
                json.dumps(value, allow_nan=False)
                settings[name] = value
            except (TypeError, ValueError):
                invalid[name] = "%r is not a value a setting can take (a %s)" % (value, type(value).__name__)
        elif name in hook_names:
            problem = hook_problem(name, value)
            if problem is None:
                hooks.append(name)
            else:
                invalid[name] = problem
        elif not name.startswith("_") and not inspect.ismodule(value):
            # Functions too: gunicorn hooks this server does not call (pre_exec, ssl_context) are functions.
            ignored.append(name)
    return {"settings": settings, "hooks": hooks, "invalid": invalid, "ignored": sorted(ignored)}


def configuration_traceback(error):
    """The traceback without this script's and importlib's frames: only the configuration's own code is of interest."""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__)
              if not frame.filename.startswith("<") and os.path.dirname(frame.filename) != os.path.dirname(importlib.__file__)]
    text = "".join(traceback.format_exception_only(type(error), error))
    return "Traceback (most recent call last):\n" + "".join(traceback.format_list(frames)) + text if frames else text


def read_settings(location, search_path, setting_names, hook_names):
    """The script's work: the answer is the only thing written to standard output."""
    answer_stream = os.fdopen(os.dup(1), "w", encoding="utf-8")
    # The configuration's own output (print, warnings) goes to standard error, with the server's log.
    os.dup2(2, 1)
    extend_path(search_path)
    try:
        answer = describe(load_namespace(location), set(setting_names.split(",")), set(hook_names.split(",")))
    except BaseException as error:  # SystemExit too: the file failed to load, whatever it raised
        answer = {"error": configuration_traceback(error)}
    answer_stream.write(json.dumps(answer))
    answer_stream.flush()


class Log:
    """``server.log`` and ``worker.log``: gunicorn's logger methods, writing to the server's error log."""

    def __init__(self, host_log):
        self._host_log = host_log

    def _write(self, level, msg, args):
        text = str(msg) % args if args else str(msg)
        data = text.encode("utf-8", "replace")
        self._host_log(level, data, len(data))

    def debug(self, msg, *args, **kwargs):
        self._write(_DEBUG, msg, args)

    def info(self, msg, *args, **kwargs):
        self._write(_INFO, msg, args)

    def warning(self, msg, *args, **kwargs):
        self._write(_WARNING, msg, args)

    warn = warning

    def error(self, msg, *args, **kwargs):
        self._write(_ERROR, msg, args)

    def critical(self, msg, *args, **kwargs):
        self._write(_CRITICAL, msg, args)

    def exception(self, msg, *args, **kwargs):
        self._write(_ERROR, "%s\n%s" % (str(msg) % args if args else msg, traceback.format_exc().rstrip()), ())

    def log(self, lvl, msg, *args, **kwargs):
        self._write(_FROM_LOGGING.get(lvl, _INFO), msg, args)


class Config:
    """``server.cfg`` and ``worker.cfg``: the effective settings as attributes, by gunicorn's names."""

    def __init__(self, settings):
        self.__dict__.update(settings)

    def __getattr__(self, name):
        raise AttributeError("ActorGunicorn has no setting named %r" % name)

    def __repr__(self):
        return "<Config %s>" % ", ".join("%s=%r" % item for item in sorted(self.__dict__.items()))


class Server:
    """The arbiter as hooks see it (gunicorn's ``server``/``arbiter``)."""

    def __init__(self, pid, cfg, log, num_workers):
        self.pid = pid
        self.cfg = cfg
        self.log = log
        self.num_workers = num_workers

    def __str__(self):
        return "<Arbiter %s>" % self.pid


class Worker:
    """A worker process as hooks see it; its pid is None before it exists (pre_fork)."""

    def __init__(self, pid, ppid, age, cfg, log):
        self.pid = pid or None
        self.ppid = ppid
        self.age = age
        self.cfg = cfg
        self.log = log
        self.booted = False
        self.aborted = False
        self.alive = True

    def __str__(self):
        return "<Worker %s>" % self.pid


class Request:
    """``req``: the request line and headers (names upper-cased, as gunicorn's parser gives them)."""

    __slots__ = ("method", "uri", "path", "query", "version", "scheme", "headers")

    def __init__(self, method, uri, version, scheme, headers):
        self.method = method
        self.uri = uri
        self.path, _, self.query = uri.partition("?")
        self.version = version
        self.scheme = scheme
        self.headers = headers

    @classmethod
    def from_environ(cls, environ):
        headers = [(key[5:].replace("_", "-"), value) for key, value in environ.items() if key.startswith("HTTP_")]
        for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            if environ.get(key):
                headers.append((key.replace("_", "-"), environ[key]))
        return cls(environ["REQUEST_METHOD"], environ.get("RAW_URI", environ.get("PATH_INFO", "")),
                   _version(environ.get("SERVER_PROTOCOL", "HTTP/1.1")), environ.get("wsgi.url_scheme", "http"),
                   headers)


class Response:
    """``resp``: the status line (``status``, ``status_code``) and headers of the response."""

    __slots__ = ("status", "status_code", "headers")

    def __init__(self, status, headers):
        self.status = status
        try:
            self.status_code = int(status.split(None, 1)[0]) if status else None
        except ValueError:
            self.status_code = None
        self.headers = headers


def _version(protocol):
    try:
        major, minor = protocol.rpartition("/")[2].split(".")
        return (int(major), int(minor))
    except ValueError:
        return (1, 1)


def _split_pairs(text):
    fields = text.split("\0") if text else []
    return list(zip(fields[0::2], fields[1::2]))


def _adapt_post_request(function):
    """gunicorn's validate_post_request: a post_request taking 2 or 3 arguments is called with that many."""
    if function is None:
        return None
    try:
        inspect.signature(function).bind(*range(4))
        return function
    except (TypeError, ValueError):
        pass
    try:
        inspect.signature(function).bind(*range(3))
        return lambda worker, req, environ, resp: function(worker, req, environ)
    except TypeError:
        return lambda worker, req, environ, resp: function(worker, req)


class Hooks:
    """The configuration's hooks in one process, with the objects they are called with."""

    def __init__(self, location, search_path, settings_json, server_pid, num_workers, pid, ppid, age, log):
        self.log = Log(ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_char_p, ctypes.c_ssize_t)(log))
        extend_path(search_path)
        namespace = load_namespace(location)
        self.cfg = Config(json.loads(settings_json))
        self.server = Server(server_pid, self.cfg, self.log, num_workers)
        self._functions = {name: value for name, value in namespace.items()
                           if name in SIGNATURES and hook_problem(name, value) is None}
        # This process's worker (in a worker process), the same object for every hook, as in gunicorn.
        self.worker = Worker(pid, ppid, age, self.cfg, self.log) if pid else None
        # The arbiter's workers by age, so pre_fork and child_exit see the same object.
        self._workers = {}
        self.pre_request = self._functions.get("pre_request")
        self.post_request = _adapt_post_request(self._functions.get("post_request"))

    def defined(self):
        """The names of the hooks the configuration defines, NUL-separated."""
        return "\0".join(self._functions)

    def _worker_for(self, name, pid, ppid, age):
        if self.worker is not None and (pid == self.worker.pid or not pid):
            return self.worker
        worker = self._workers.get(age)
        if worker is None:
            worker = self._workers[age] = Worker(pid, ppid, age, self.cfg, self.log)
        elif pid:
            worker.pid = pid
        if name == "child_exit":
            del self._workers[age]
        return worker

    def call(self, name, num_workers, pid, ppid, age, new_value, old_value):
        """Calls the hook ``name`` with the arguments its signature names; an exception propagates to the host."""
        function = self._functions.get(name)
        if function is None:
            return
        self.server.num_workers = num_workers
        values = {"server": self.server, "new_value": new_value, "old_value": old_value}
        if "worker" in SIGNATURES[name]:
            values["worker"] = self._worker_for(name, pid, ppid, age)
            if name == "post_worker_init":
                values["worker"].booted = True
            elif name in ("worker_int", "worker_abort"):
                values["worker"].alive = False
                values["worker"].aborted = name == "worker_abort"
        function(*[values[parameter] for parameter in SIGNATURES[name]])

    def request(self, name, method, uri, protocol, scheme, headers, status, response_headers):
        """pre_request or post_request around a .NET application's request (a WSGI one calls them in its shim)."""
        req = Request(method, uri, _version(protocol), scheme, [(k.upper(), v) for k, v in _split_pairs(headers)])
        if name == "pre_request":
            if self.pre_request is not None:
                self.pre_request(self.worker, req)
        elif self.post_request is not None:
            environ = {"REQUEST_METHOD": method, "RAW_URI": uri, "PATH_INFO": req.path, "QUERY_STRING": req.query,
                       "SERVER_PROTOCOL": protocol, "wsgi.url_scheme": scheme}
            self.post_request(self.worker, req, environ, Response(status, _split_pairs(response_headers)))


if __name__ == "__main__":
    read_settings(*sys.argv[1:5])
