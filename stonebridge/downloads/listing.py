"""What an app says about one of its list pages so that it can be downloaded: its columns, and
the rows the page shows a member for the filters, search and sort in the page's address. The
page and its download call the same `rows`, so the file holds what the screen shows."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from stonebridge.accounts.access import organisation_view
from stonebridge.accounts.models import Membership
from stonebridge.pages import PageRequest, attachment

from .files import CONTENT_TYPES, FORMATS, write_table

# StoneBridge default: up to this many rows a download is written while the person waits;
# beyond, by the task worker (settings.DOWNLOADS_DIRECT_ROWS overrides it).
DIRECT_ROWS = 10_000
CHUNK = 2000


@dataclass(frozen=True)
class Listing:
    # Where this object lives, e.g. "stonebridge.voice.exports.CASES": the task worker finds
    # the list again from it.
    key: str
    title: Callable[[], str]  # the list's name in the reader's language, also the sheet's title
    filename: str  # the file's name, before the date
    page: str  # the list page's URL name; it takes the organisation alone
    headers: Callable[[], list[str]]  # in the reader's language
    rows: Callable[[Membership, QueryDict], QuerySet[Any] | Sequence[Any]]
    line: Callable[[Any], Sequence[object]]
    # Looks up, for a batch of rows, what the lines need but the rows do not hold (the audit
    # log's names), one query per batch rather than per row.
    batch: Callable[[list[Any]], list[Any]] | None = None


def direct_rows() -> int:
    return int(getattr(settings, "DOWNLOADS_DIRECT_ROWS", DIRECT_ROWS))


def count_up_to(found: QuerySet[Any] | Sequence[Any], limit: int) -> int:
    """How many rows, counting no further than `limit` (a long list is not counted twice)."""
    if isinstance(found, QuerySet):
        return found[:limit].count()
    return min(len(found), limit)


def each(found: QuerySet[Any] | Sequence[Any]) -> Iterable[Any]:
    return found.iterator(chunk_size=CHUNK) if isinstance(found, QuerySet) else found


def batched(rows: Iterable[Any], size: int) -> Iterable[list[Any]]:
    """The rows in lists of `size` (itertools.batched arrives with Python 3.12)."""
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def file_name(listing: Listing, fmt: str) -> str:
    return f"{listing.filename}-{timezone.localdate().isoformat()}.{fmt}"


def table_file(
    listing: Listing,
    found: QuerySet[Any] | Sequence[Any],
    fmt: str,
    tick: Callable[[int], None] | None = None,
) -> bytes:
    """The rows as a file, `tick` told how many are written every CHUNK rows."""

    def lines() -> Iterable[Sequence[object]]:
        done = 0
        for chunk in batched(each(found), CHUNK):
            if tick is not None and done:
                tick(done)
            rows = listing.batch(list(chunk)) if listing.batch else chunk
            for row in rows:
                yield listing.line(row)
            done += len(chunk)

    return write_table(fmt, listing.headers(), lines(), sheet_title=str(listing.title()))


def find(key: str) -> Listing:
    """The listing a download names; only a `Listing` object, never any other dotted path."""
    if not key.startswith("stonebridge."):
        raise LookupError(key)
    listing = import_string(key)
    if not isinstance(listing, Listing) or listing.key != key:
        raise LookupError(key)
    return listing


def respond(
    request: PageRequest, membership: Membership, listing: Listing, fmt: str
) -> HttpResponse:
    """The download of a list page, for the view behind its "Download CSV / XLSX" links: the
    file at once, or, for a long list, a page that follows the task worker writing it."""
    if fmt not in FORMATS:
        raise Http404
    found = listing.rows(membership, request.GET)
    limit = direct_rows()
    if count_up_to(found, limit + 1) <= limit:
        return attachment(
            table_file(listing, found, fmt), file_name(listing, fmt), CONTENT_TYPES[fmt]
        )
    from .services import download_start

    download = download_start(
        membership=membership,
        listing=listing,
        fmt=fmt,
        query=request.GET,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    return redirect("downloads:status", org=membership.organisation.slug, download_id=download.pk)


def download_view(listing: Listing) -> Callable[..., HttpResponse]:
    """The view behind a list page's "Download CSV / XLSX" links: any member may download
    what the page shows them; an outsider gets 404 (`organisation_view`), and the rows are the
    listing's, scoped to the member's organisation."""

    @require_GET
    @organisation_view()
    def export(request: PageRequest, membership: Membership, fmt: str) -> HttpResponse:
        return respond(request, membership, listing, fmt)

    export.__name__ = export.__qualname__ = f"{listing.filename.replace('-', '_')}_export"
    return export


def yes_no(value: object) -> str:
    """A yes or no cell, in the reader's language."""
    return _("yes") if value else _("no")


def local_date(moment: Any) -> Any:
    """The day of a moment where the organisation is; spreadsheets know no time zones."""
    return timezone.localtime(moment).date() if moment else None
