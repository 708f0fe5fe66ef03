from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from stonebridge.accounts.access import get_scoped_or_404, organisation_view
from stonebridge.accounts.models import Membership
from stonebridge.pages import PageRequest, attachment, org_context

from .files import CONTENT_TYPES
from .models import Download


def _own(
    request: PageRequest, membership: Membership, download_id: int, **lookup: object
) -> Download:
    """A download the person asked for themself: some lists show each person their own rows."""
    return get_scoped_or_404(
        Download.objects.filter(created_by=request.user, **lookup).defer("content"),
        membership,
        pk=download_id,
    )


@require_GET
@vary_on_headers("HX-Request")
@organisation_view()
def status(request: PageRequest, membership: Membership, download_id: int) -> HttpResponse:
    """How far a long download has come, and the file once it is written."""
    download = _own(request, membership, download_id)
    template = "downloads/_status.html" if request.htmx else "downloads/status.html"
    return render(request, template, org_context(membership, download=download))


@require_GET
@organisation_view()
def download_file(request: PageRequest, membership: Membership, download_id: int) -> HttpResponse:
    found = _own(request, membership, download_id, status=Download.Status.DONE)
    content = Download.objects.values_list("content", flat=True).get(pk=found.pk)
    return attachment(bytes(content or b""), found.filename, CONTENT_TYPES[found.fmt])
