"""The buyer's suppliers, as the engagement page lists them, as a file."""

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from stonebridge.accounts.models import Membership
from stonebridge.downloads.listing import Listing

from . import queries
from .models import FlagState, Relationship, Status


def filtered_relationships(
    membership: Membership, params: QueryDict
) -> tuple[QuerySet[Relationship], dict[str, Any]]:
    """The buyer's suppliers, searched and filtered as the person asked; what they chose."""
    relationships = queries.relationships_for(membership.organisation).annotate(
        open_actions=Count(
            "plans__actions", filter=Q(plans__actions__status__in=("open", "in_progress"))
        )
    )
    search = (params.get("q") or "").strip()
    if search:
        relationships = relationships.filter(
            Q(facility__search_text__icontains=search.lower())
            | Q(facility__name_zh__icontains=search)
        )
    status = params.get("status") or ""
    if status in Status.values:
        relationships = relationships.filter(status=status)
    flagged = params.get("flagged") == "1"
    if flagged:
        standing = FlagState.objects.filter(relationship=OuterRef("pk"), cleared_at__isnull=True)
        relationships = relationships.filter(Exists(standing))
    chosen = {"search": search, "status": status, "flagged": flagged}
    return relationships.order_by("facility__name_en", "pk"), chosen


def _line(relationship: Any) -> list[object]:
    return [
        relationship.facility.name_zh,
        relationship.facility.name_en,
        str(relationship.supplier) if relationship.supplier else "",
        relationship.get_status_display(),
        relationship.open_actions,
    ]


SUPPLIERS = Listing(
    key="stonebridge.engagement.exports.SUPPLIERS",
    title=lambda: _("Suppliers you engage"),
    filename="suppliers",
    page="engagement:dashboard",
    headers=lambda: [
        _("Facility (Chinese)"),
        _("Facility (English or pinyin)"),
        _("Account"),
        _("Status"),
        _("Open actions"),
    ],
    rows=lambda membership, params: filtered_relationships(membership, params)[0],
    line=_line,
)
