"""Error pages that help in both languages, whatever language the person had chosen."""

import sys
from urllib.parse import urlsplit

from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from psycopg import InterfaceError as PsycopgInterfaceError
from psycopg import OperationalError as PsycopgOperationalError

# What a database that cannot be reached raises: Django wraps the driver's errors in its own,
# but an error raised while connecting may reach us unwrapped.
DATABASE_OUTAGE = (OperationalError, InterfaceError, PsycopgOperationalError, PsycopgInterfaceError)
# Seconds after which a client may try again: a database restart takes a few.
RETRY_AFTER_SECONDS = 10

# Never shown back: passwords, codes and tokens are not worth keeping on a screen.
_SECRET_NAMES = ("password", "code", "token", "secret", "csrf")


def _page(request: HttpRequest | None, status: int) -> HttpResponse:
    return HttpResponse(render_to_string("error.html", {"status": status}), status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this while handling the exception, wherever it was raised: in a view or in a
    # middleware that read the session or the person's preferences.
    if isinstance(sys.exc_info()[1], DATABASE_OUTAGE):
        return database_unavailable(request)
    return _page(request, 500)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 while the database cannot be reached: a page for people, JSON for API clients, and
    Retry-After for both. Nothing here touches the database, so it answers during the outage."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": _("The service is briefly unavailable. Try again in a few seconds.")},
            status=503,
        )
    else:
        response = HttpResponse(render_to_string("unavailable.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _from_this_site(request: HttpRequest) -> bool:
    sent_from = request.headers.get("Origin") or request.headers.get("Referer") or ""
    return urlsplit(sent_from).netloc == request.get_host()


def typed_text(request: HttpRequest) -> list[tuple[str, str]]:
    """What the person typed, to copy into the form again. Only from a form on our own pages:
    another site must not put its words on ours. Never a password, code or token."""
    if request.method != "POST" or not _from_this_site(request):
        return []
    return [
        (name, value)
        for name in request.POST
        if (value := request.POST.get(name, "")).strip()
        and not any(secret in name.lower() for secret in _SECRET_NAMES)
    ]


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent after its page expired, most often because the person logged in again
    elsewhere: say so in both languages and give back what they typed."""
    chinese_first = get_language() == "zh-hans"
    context = {
        "typed": typed_text(request),
        # Long texts are kept on the device only for someone logged in (stonebridge.js).
        "drafts_kept": request.user.is_authenticated,
        "languages": ["zh-hans", "en"] if chinese_first else ["en", "zh-hans"],
        "back": request.headers.get("Referer") if _from_this_site(request) else None,
    }
    return HttpResponse(render_to_string("csrf_failure.html", context), status=403)
