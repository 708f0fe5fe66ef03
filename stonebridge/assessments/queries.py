"""What the assessments pages and API read, narrowed by `accounts/access.py`."""

from django.db.models import QuerySet

from stonebridge.accounts.access import visible
from stonebridge.accounts.models import Membership
from stonebridge.engagement.models import Relationship

from .models import HoursApproval, RecordsCheck


def records_facilities(membership: Membership) -> QuerySet[Relationship]:
    """The facilities whose records the member may check: a buyer's engaged facilities, or a
    supplier's own, through each buyer that shares with it."""
    return (
        visible(Relationship.objects.all(), membership)
        .exclude(status=Relationship.Status.EXITED)
        .select_related("facility", "organisation")
        .order_by("facility__name_zh", "pk")
    )


def records_checks(membership: Membership) -> QuerySet[RecordsCheck]:
    return visible(RecordsCheck.objects.all(), membership).select_related(
        "relationship__facility", "relationship__organisation"
    )


def hours_approvals(membership: Membership) -> QuerySet[HoursApproval]:
    return (
        visible(HoursApproval.objects.all(), membership)
        .select_related("relationship__facility", "relationship__organisation")
        .defer("document")
    )
