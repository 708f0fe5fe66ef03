"""Keep workers' addresses, browsers and links out of the application's logs.

Django logs each request it answers with an error (django.request: "Not Found: /v/…", with the
request object attached, whose META holds REMOTE_ADDR and HTTP_USER_AGENT), and the development
server logs every request with its socket, which names the client's address. For the public
worker pages (/v/…: intake, follow-up, surveys) this filter removes the request from the record,
replaces the path after /v/ (a channel's or survey's token says which factory) and any IP
address in the message. It never drops the record: an error on a worker page must still be seen,
only without who caused it. Installed in settings.LOGGING on the loggers that attach a request
and on every handler.
"""

import logging
import re
from collections.abc import Mapping
from typing import Any

WORKER_PREFIX = "/v/"
# A worker page's path inside a message or request line ("GET /v/k7Qm2xPa/ HTTP/1.1").
WORKER_PATH = re.compile(r"(?<![\w/.])/v/[^\s\"'<>]*")
IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){2,7}(?::|[0-9A-Fa-f]{1,4})(?![\w:])")
REDACTED_PATH = "/v/…"
REDACTED_ADDRESS = "[address]"


def _redact(text: str) -> str:
    text = WORKER_PATH.sub(REDACTED_PATH, text)
    text = IPV4.sub(REDACTED_ADDRESS, text)
    return IPV6.sub(REDACTED_ADDRESS, text)


def _mentions_worker_page(value: Any) -> bool:
    return isinstance(value, str) and WORKER_PATH.search(value) is not None


def is_worker_page(record: logging.LogRecord) -> bool:
    request = getattr(record, "request", None)
    path = getattr(request, "path_info", None) or getattr(request, "path", None)
    if isinstance(path, str) and path.startswith(WORKER_PREFIX):
        return True
    args = record.args
    values = args.values() if isinstance(args, Mapping) else (args or ())
    if any(_mentions_worker_page(v) for v in (record.msg, *values)):
        return True
    return _mentions_worker_page(_message(record))


def _message(record: logging.LogRecord) -> str:
    """The formatted message; a record whose arguments do not fit its format is left to the
    handler to report, as logging does."""
    try:
        return record.getMessage()
    except (TypeError, ValueError):
        return str(record.msg)


class WorkerPagesFilter(logging.Filter):
    """For records about a worker page: no request object, no path token, no IP address."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not is_worker_page(record):
            return True
        record.__dict__.pop("request", None)
        # The message as it will read, redacted once formatted: a path may be split between
        # the format and its arguments.
        record.msg = _redact(_message(record))
        record.args = ()
        return True
