"""No worker's address, browser or link reaches the application's logs from the public worker
pages, whether the page is missing or breaks."""

import logging
import socket
from io import StringIO

import pytest
from django.core.servers.basehttp import WSGIRequestHandler
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

ADDRESS = "203.0.113.77"
AGENT = "Mozilla/5.0 (Linux; Android 13) MicroMessenger/8.0.47 ProbeBrowser/42"
TOKEN = "k7Qm2xPa"


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("the page broke")


urlpatterns = [path(f"v/{TOKEN}/boom/", boom)]


class Catcher(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def worker_client() -> Client:
    return Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT, raise_request_exception=False)


def traces(records: list[logging.LogRecord]) -> str:
    """Everything the records carry: formatted as the console handler writes them, and every
    attribute a handler (such as the admins' e-mail) could read."""
    formatter = logging.Formatter("%(name)s %(message)s")
    return "\n".join(formatter.format(r) + repr(r.__dict__) for r in records)


def assert_nothing_identifying(records: list[logging.LogRecord]) -> None:
    assert records, "the request was not logged at all"
    seen = traces(records)
    assert ADDRESS not in seen
    assert "MicroMessenger" not in seen
    assert TOKEN not in seen
    assert all("request" not in r.__dict__ for r in records)


@pytest.mark.urls(__name__)
def test_a_missing_worker_page_is_logged_without_address_agent_or_token(db, caplog):
    caplog.set_level(logging.INFO)
    response = worker_client().get(f"/v/{TOKEN}/nothing-here/")
    assert response.status_code == 404
    assert_nothing_identifying(caplog.records)
    assert "Not Found: /v/…" in caplog.text


@pytest.mark.urls(__name__)
def test_a_broken_worker_page_is_logged_with_its_error_but_without_the_worker(db, caplog):
    caplog.set_level(logging.INFO)
    response = worker_client().get(f"/v/{TOKEN}/boom/")
    assert response.status_code == 500
    assert_nothing_identifying(caplog.records)
    assert "the page broke" in caplog.text  # the error itself is still there to fix


def test_other_pages_keep_their_request_in_the_log(db, caplog):
    caplog.set_level(logging.INFO)
    worker_client().get("/o/nowhere/missing/")
    assert any("request" in r.__dict__ for r in caplog.records)


def test_the_servers_request_line_for_a_worker_page_names_no_address():
    """The development server logs each request with its socket, which names the client."""
    logger = logging.getLogger("django.server")
    catcher = Catcher()
    logger.addHandler(catcher)
    with socket.create_server(("127.0.0.1", 0)) as server:
        client = socket.create_connection(server.getsockname())
        connection, _ = server.accept()
        try:
            handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
            handler.request = connection
            handler.log_message('"%s" %s %s', f"GET /v/{TOKEN}/ HTTP/1.1", "404", "179")
        finally:
            logger.removeHandler(catcher)
            connection.close()
            client.close()
    seen = traces(catcher.records)
    assert "127.0.0.1" not in seen
    assert TOKEN not in seen
    assert '"GET /v/… HTTP/1.1" 404' in seen


def test_every_configured_handler_filters_worker_pages():
    """What reaches the console from any logger is filtered too."""
    console = next(
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.StreamHandler)
        and any(type(f).__name__ == "WorkerPagesFilter" for f in h.filters)
    )
    stream = StringIO()
    old = console.setStream(stream)
    try:
        logging.getLogger("stonebridge.anything").warning("Slow page /v/%s/ for %s", TOKEN, ADDRESS)
    finally:
        console.setStream(old)
    assert stream.getvalue().strip() == "Slow page /v/… for [address]"
