"""Small pieces every organisation's pages share."""

from django.http import HttpResponse

from stonebridge.accounts.models import Membership


def org_context(membership: Membership, **extra: object) -> dict[str, object]:
    """What the base template needs on a page under /o/<org>/, plus the page's own values."""
    return {"membership": membership, "organisation": membership.organisation, **extra}


def attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A file to download rather than show."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
