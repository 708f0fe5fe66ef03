from django.db import transaction
from django.http import QueryDict
from django.urls import reverse

from stonebridge.accounts.models import Membership
from stonebridge.audit.services import record

from . import tasks
from .files import FORMATS
from .listing import Listing
from .models import Download


def download_start(
    *, membership: Membership, listing: Listing, fmt: str, query: QueryDict, language: str
) -> Download:
    """Queue a long list's download for the task worker, with the page's filters, search and
    sort; the person who asked is the one who may fetch it."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown download format {fmt!r}")
    params = query.copy()
    params.pop("page", None)
    params.pop("after", None)
    page = reverse(listing.page, kwargs={"org": membership.organisation.slug})
    with transaction.atomic():
        download = Download.objects.create(
            organisation=membership.organisation,
            created_by=membership.user,
            listing=listing.key,
            title=str(listing.title())[:200],
            back=f"{page}?{params.urlencode()}"[:500],
            fmt=fmt,
            query=params.urlencode(),
            language=language,
        )
        record(
            actor=membership.user,
            organisation=membership.organisation,
            verb="downloads.requested",
            target=download,
            changes={"list": listing.filename, "format": fmt, "filters": download.query},
        )
        tasks.write_download.enqueue(download_id=download.pk)
    download.refresh_from_db()  # an in-process task backend has written it already
    return download
