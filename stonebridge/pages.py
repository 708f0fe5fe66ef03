"""What every organisation's pages share, and the page numbers of every list page and API list.

Pages keep the other query parameters in their links. A page that does not exist (beyond the
last, zero, not a number) is a 404 on the pages, as Django's own list views answer; the API
answers 422 to a page or page size it cannot serve, since an offset beyond 64 bits would fail in
the database.
"""

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import QuerySet
from django.forms import BaseForm, DateInput
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django_htmx.middleware import HtmxDetails
from ninja import Field
from ninja.pagination import PageNumberPagination

from stonebridge.accounts.models import Membership, User

T = TypeVar("T")

PER_PAGE = 50
# StoneBridge default: no list runs to a million pages, and the offset of the last
# (MAX_PAGE times the largest page size) stays far inside 64 bits.
MAX_PAGE = 1_000_000


class PageRequest(HttpRequest):
    """A request a page behind log-in let through (`login_required`, `organisation_view`): `user`
    is the person, never anonymous; `htmx` is what django-htmx read from its headers. Pages open
    to anyone take a plain HttpRequest."""

    user: User
    htmx: HtmxDetails


def org_context(membership: Membership, **extra: object) -> dict[str, object]:
    """What the base template needs on a page under /o/<org>/, plus the page's own values."""
    return {"membership": membership, "organisation": membership.organisation, **extra}


def paginate(
    request: HttpRequest,
    queryset: QuerySet | Sequence[Any],
    per_page: int = PER_PAGE,
    *,
    param: str = "page",
) -> Page:
    """A page of the rows, its number read from `param` (a page with two lists gives each its
    own), the other parameters kept for the links."""
    try:
        page = Paginator(queryset, per_page).page(request.GET.get(param) or 1)
    except InvalidPage:
        raise Http404 from None
    params = request.GET.copy()
    params.pop(param, None)
    page.querystring = params.urlencode()  # type: ignore[attr-defined]
    page.param = param  # type: ignore[attr-defined]
    return page


class Pages(PageNumberPagination):
    """django-ninja's page numbers, bounded; `@paginate(Pages)` on every API list."""

    class Input(PageNumberPagination.Input):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=settings.NINJA_PAGINATION_MAX_PER_PAGE_SIZE)


def attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A file to download rather than show."""
    response = HttpResponse(content, content_type=content_type)
    # Chinese names and quotes survive: RFC 6266 filename* when the name is not plain ASCII.
    # (Only a header that is not an attachment can be None.)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response


def submit(request: HttpRequest, form: BaseForm, call: Callable[[dict[str, Any]], T]) -> T | None:
    """Validate a posted form and hand its data to a service; the service's result, or None when
    nothing was posted, the form is not valid or the service refused. A refusal becomes the
    form's errors, on the field it names when the form has one. Services return what they made
    or changed, never None."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return call(form.cleaned_data)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            form.add_error(None, error.messages)
        return None


def attempt(call: Callable[[], T]) -> tuple[T | None, str]:
    """Ask a service for a change that no form carries (a button, a link followed); its result
    and "", or None and the service's refusal as one line to show."""
    try:
        return call(), ""
    except ValidationError as error:
        return None, " ".join(error.messages)


def date_input() -> DateInput:
    """A date picker. Its value is an ISO date whatever the language: the browser reads no other
    format, so a Chinese-formatted initial date would show as empty."""
    return DateInput(format="%Y-%m-%d", attrs={"type": "date"})
