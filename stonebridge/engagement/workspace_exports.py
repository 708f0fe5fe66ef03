"""The supplier's workspace lists as files, in the reader's language (a supplier reads them in
Chinese): the buyers it works with, their plans, the actions and requests still open, and its
history. The workspace page and its downloads call the same functions, so the file holds what
the page lists; each reaches a row only through a relationship that names the supplier."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from stonebridge.accounts.models import Membership, Organisation
from stonebridge.display import plain
from stonebridge.downloads.listing import Listing, local_date, yes_no

from . import queries
from .models import Action, Plan, Relationship, Request
from .templatetags.engagement import local_title


def relationships_of(supplier: Organisation) -> QuerySet[Relationship]:
    """The buyers that work with the supplier, site by site (the page groups them by site)."""
    return (
        Relationship.objects.shared_with(supplier)
        .select_related("organisation", "facility")
        .order_by("facility__name_zh", "facility__name_en", "facility_id", "organisation__name")
    )


def plans_of(supplier: Organisation) -> QuerySet[Plan]:
    return (
        Plan.objects.shared_with(supplier)
        .select_related("relationship__organisation", "facility")
        .order_by("-starts_on", "-pk")
    )


def open_actions_of(supplier: Organisation) -> QuerySet[Action]:
    """Every action still to do, the soonest due first; the page shows the most urgent."""
    return (
        Action.objects.shared_with(supplier)
        .still_open()
        .select_related("plan__relationship__organisation")
        .order_by("due_on", "pk")
    )


def open_requests_of(supplier: Organisation) -> QuerySet[Request]:
    return (
        Request.objects.shared_with(supplier)
        .filter(state=Request.State.OPEN)
        .select_related("relationship__organisation")
        .order_by("due_on", "pk")
    )


def _late(due_on: Any) -> str:
    return yes_no(due_on is not None and due_on < timezone.localdate())


def _facility(facility: Any) -> list[object]:
    return [facility.name_zh, facility.name_en] if facility is not None else ["", ""]


def _facility_headers() -> list[str]:
    return [_("Facility (Chinese)"), _("Facility (English or pinyin)")]


def _supplier_rows(
    find: Callable[[Organisation], QuerySet[Any]],
) -> Callable[[Membership, QueryDict], QuerySet[Any]]:
    """The rows `find` gives for the member's own organisation, whatever the address says."""
    return lambda membership, params: find(membership.organisation)


BUYERS = Listing(
    key="stonebridge.engagement.workspace_exports.BUYERS",
    title=lambda: _("Buyers you work with"),
    filename="buyers",
    page="engagement:workspace_home",
    headers=lambda: [_("Buyer"), *_facility_headers(), _("Status"), _("Shared since")],
    rows=_supplier_rows(relationships_of),
    line=lambda relationship: [
        relationship.organisation.name,
        *_facility(relationship.facility),
        relationship.get_status_display(),
        local_date(relationship.supplier_accepted_at),
    ],
)

PLANS = Listing(
    key="stonebridge.engagement.workspace_exports.PLANS",
    title=lambda: _("Improvement plans"),
    filename="improvement-plans",
    page="engagement:workspace_home",
    headers=lambda: [
        _("Buyer"),
        _("Title in Chinese"),
        _("Title in English"),
        *_facility_headers(),
        _("Starts on"),
        _("Status"),
    ],
    rows=_supplier_rows(plans_of),
    line=lambda plan: [
        plan.relationship.organisation.name,
        plan.title_zh,
        plan.title,
        *_facility(plan.facility),
        plan.starts_on,
        plan.get_state_display(),
    ],
)

ACTIONS = Listing(
    key="stonebridge.engagement.workspace_exports.ACTIONS",
    title=lambda: _("Actions to do"),
    filename="actions-to-do",
    page="engagement:workspace_home",
    headers=lambda: [
        _("Buyer"),
        _("Improvement plan"),
        _("Action in Chinese"),
        _("Action in English"),
        _("Due on"),
        _("Status"),
        _("Overdue"),
    ],
    rows=_supplier_rows(open_actions_of),
    line=lambda action: [
        action.plan.relationship.organisation.name,
        local_title(action.plan),
        action.title_zh,
        action.title,
        action.due_on,
        action.get_status_display(),
        _late(action.due_on),
    ],
)

REQUESTS = Listing(
    key="stonebridge.engagement.workspace_exports.REQUESTS",
    title=lambda: _("Questions and requests"),
    filename="requests",
    page="engagement:workspace_home",
    headers=lambda: [
        _("Buyer"),
        _("Kind"),
        _("What is asked, in Chinese"),
        _("What is asked, in English"),
        _("Answer by"),
        _("Overdue"),
    ],
    rows=_supplier_rows(open_requests_of),
    line=lambda request: [
        request.relationship.organisation.name,
        request.get_kind_display(),
        request.text_zh,
        request.text,
        request.due_on,
        _late(request.due_on),
    ],
)


def _history_rows(membership: Membership, params: QueryDict) -> list[queries.HistoryItem]:
    return queries.history_of(membership.organisation)


HISTORY = Listing(
    key="stonebridge.engagement.workspace_exports.HISTORY",
    title=lambda: _("Our history"),
    filename="history",
    page="engagement:workspace_history",
    headers=lambda: [_("Date"), _("What"), _("Buyer"), _("Text")],
    rows=_history_rows,
    line=lambda item: [local_date(item.when), str(item.kind), item.buyer.name, plain(item.text)],
)
