"""Page numbers for every list page and every API list.

Pages keep the other query parameters in their links. A page that does not exist (beyond the
last, zero, not a number) is a 404 on the pages, as Django's own list views answer; the API
answers 422 to a page or page size it cannot serve, since an offset beyond 64 bits would fail in
the database.
"""

from django.conf import settings
from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field
from ninja.pagination import PageNumberPagination

PER_PAGE = 50
# StoneBridge default: no list runs to a million pages, and the offset of the last
# (MAX_PAGE times the largest page size) stays far inside 64 bits.
MAX_PAGE = 1_000_000


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
