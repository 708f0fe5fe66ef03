"""The buyer's suppliers, as the engagement page lists them, as a file."""

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from stonebridge.accounts.models import Membership
from stonebridge.downloads.listing import Listing

from . import flags, queries
from .models import Action, FlagState, Plan, Relationship, Status


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
    flag = params.get("flag") or ""
    if flagged or flag in flags.TITLES:
        standing = FlagState.objects.filter(relationship=OuterRef("pk"), cleared_at__isnull=True)
        if flag in flags.TITLES:
            standing = standing.filter(code=flag)
        relationships = relationships.filter(Exists(standing))
    # From the home page's figures: suppliers with an overdue action, or an active plan.
    overdue = params.get("overdue") == "1"
    if overdue:
        late = Action.objects.filter(plan__relationship=OuterRef("pk")).overdue(
            timezone.localdate()
        )
        relationships = relationships.filter(Exists(late))
    planned = params.get("plan") == Plan.State.ACTIVE
    if planned:
        active = Plan.objects.filter(relationship=OuterRef("pk"), state=Plan.State.ACTIVE)
        relationships = relationships.filter(Exists(active))
    chosen = {
        "search": search,
        "status": status,
        "flagged": flagged or flag in flags.TITLES,
        "late_only": overdue,
        "planned": planned,
    }
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
