from django.http import QueryDict
from django.utils import timezone, translation

from stonebridge.accounts.models import Membership

from .listing import count_up_to, file_name, find, table_file
from .models import Download


def write_download(download: Download) -> None:
    """The list as the person who asked sees it now, with the filters they had, in their
    language; its progress written as it goes, so their page sees it move. Someone who left
    the organisation meanwhile gets nothing."""
    membership = (
        Membership.objects.select_related("organisation", "user")
        .filter(user=download.created_by, organisation=download.organisation)
        .first()
    )
    if membership is None or not download.created_by.is_active:
        raise PermissionError("the person is no longer a member")
    listing = find(download.listing)
    with translation.override(download.language):
        found = listing.rows(membership, QueryDict(download.query))
        total = count_up_to(found, 10**9)
        Download.objects.filter(pk=download.pk).update(
            status=Download.Status.RUNNING, total_rows=total, processed_rows=0
        )

        def tick(done: int) -> None:
            Download.objects.filter(pk=download.pk).update(processed_rows=done)

        content = table_file(listing, found, download.fmt, tick)
        filename = file_name(listing, download.fmt)
    Download.objects.filter(pk=download.pk).update(
        status=Download.Status.DONE,
        processed_rows=total,
        content=content,
        filename=filename,
        finished_at=timezone.now(),
    )
