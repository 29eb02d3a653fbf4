"""Wraps a WSGI application in ``wsgiref.validate.validator`` for the integration tests.

Every WSGI application the tests serve goes through here, named with gunicorn's factory-call syntax::

    actorgunicorn --pythonpath tests/ActorGunicorn.IntegrationTests/PythonApps --chdir samples/flask_app \
        "validated:wrap('app:app')"

The validator checks both sides of PEP 3333: the environ and wsgi.input/wsgi.errors the server hands over, and the
status, headers, result iterable and close() the application hands back. A violation raises AssertionError (a 500
with a traceback in the server's log); the validator's WSGIWarning is turned into an error here, so a warning fails
the same way. A result that is garbage-collected without close() makes the validator print "Iterator garbage
collected without being closed" on standard error. The tests assert the server output holds none of these.
"""

import importlib
import warnings
from wsgiref.validate import WSGIWarning, validator

# Only the validator's own category: Django 3.2 warns (DeprecationWarning) when it imports cgi under Python 3.11,
# which has nothing to do with the server.
warnings.simplefilter("error", WSGIWarning)


def _resolve(spec):
    module_name, _, name = spec.partition(":")
    return getattr(importlib.import_module(module_name), name or "application")


def wrap(spec):
    """The application ``spec`` (``module`` or ``module:name``) behind the validator."""
    validating = validator(_resolve(spec))

    def application(environ, start_response):
        result = validating(environ, start_response)
        # The validator returns its own iterator wrapper around the application's result. For a wsgi.file_wrapper
        # result that would hide the file from the server, which only uses sendfile(2) for its own file_wrapper
        # type, and the 200 MB downloads would be copied through Python instead. So when the validator wraps a
        # file_wrapper, the server gets a new file_wrapper for the same file, whose close() is the validator
        # wrapper's close(): the validator has still checked the environ and start_response, still sees close()
        # (it closes the original result, which closes the file, and its "garbage collected without being closed"
        # check still applies), and the server still sends the file with sendfile(2). Only the validator's check
        # of the iterated blocks is skipped, which is moot for a file the server never iterates.
        file_wrapper = environ.get("wsgi.file_wrapper")
        original = getattr(result, "original_iterator", None)
        if file_wrapper is not None and isinstance(original, file_wrapper):
            handed = file_wrapper(original.filelike, original.blksize)
            handed.close = result.close
            return handed
        return result

    return application
