"""What every organisation's pages share, and the page numbers of every list page and API list.

Pages keep the other query parameters in their links. A page that does not exist (beyond the
last, zero, not a number) is a 404 on the pages, as Django's own list views answer; the API
answers 422 to a page or page size it cannot serve, since an offset beyond 64 bits would fail in
the database.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import QuerySet
from django.forms import BaseForm, DateInput
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from ninja import Field
from ninja.pagination import PageNumberPagination

from stonebridge.accounts.models import Membership

PER_PAGE = 50
# StoneBridge default: no list runs to a million pages, and the offset of the last
# (MAX_PAGE times the largest page size) stays far inside 64 bits.
MAX_PAGE = 1_000_000


def org_context(membership: Membership, **extra: object) -> dict[str, object]:
    """What the base template needs on a page under /o/<org>/, plus the page's own values."""
    return {"membership": membership, "organisation": membership.organisation, **extra}


def paginate(request: HttpRequest, queryset: QuerySet, per_page: int = PER_PAGE) -> Page:
    try:
        page = Paginator(queryset, per_page).page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404 from None
    params = request.GET.copy()
    params.pop("page", None)
    page.querystring = params.urlencode()  # type: ignore[attr-defined]
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


def submit(request: HttpRequest, form: BaseForm, call: Callable[[dict[str, Any]], object]) -> bool:
    """Validate a posted form and hand its data to a service. A service's refusal becomes the
    form's errors, on the field it names when the form has one. True when the change is made."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            form.add_error(None, error.messages)
        return False
    return True


def date_input() -> DateInput:
    """A date picker. Its value is an ISO date whatever the language: the browser reads no other
    format, so a Chinese-formatted initial date would show as empty."""
    return DateInput(format="%Y-%m-%d", attrs={"type": "date"})
