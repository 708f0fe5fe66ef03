"""What the case pages and the API read: an organisation's cases in triage order, their counts,
and the learning dashboard's figures."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import BooleanField, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models import Case as Choose
from django.db.models.functions import TruncMonth
from django.utils import timezone

from stonebridge.accounts.models import Organisation
from stonebridge.accounts.ownership import received_by

from .models import URGENCY_ORDER, Case, CaseState
from .services.deadlines import not_acknowledged, not_answered


def urgency_rank() -> Choose:
    return Choose(
        *(When(urgency=u, then=Value(i)) for i, u in enumerate(URGENCY_ORDER)),
        default=Value(len(URGENCY_ORDER)),
        output_field=IntegerField(),
    )


def received_cases(organisation: Organisation) -> QuerySet[Case]:
    return Case.objects.filter(received_by(Case, organisation))


def triage_order(cases: QuerySet[Case], today: date | None = None) -> QuerySet[Case]:
    """Imminent danger first, then a child at work, then urgent, then the rest; within each, the
    oldest first, since it has waited longest. Each row knows whether it is overdue."""
    today = today or timezone.localdate()
    late = not_acknowledged(today) | not_answered(today)
    return (
        cases.select_related("facility", "issue")
        .annotate(
            rank=urgency_rank(),
            is_overdue=Choose(
                When(late, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
        )
        .order_by("rank", "received_at", "pk")
    )


def counts(organisation: Organisation, today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    late = not_acknowledged(today) | not_answered(today)
    return received_cases(organisation).aggregate(
        open=Count("pk", filter=~Q(state=CaseState.CLOSED)),
        overdue=Count("pk", filter=late),
    )


def escalated_to(organisation: Organisation) -> QuerySet[Case]:
    """Open cases the factory's committee let pass their respond-by date at a channel the
    organisation sponsors (`deadlines.py`): the buyer sees their facts, not their content."""
    return (
        Case.objects.filter(
            escalated_at__isnull=False, channel__sponsors__organisation=organisation
        )
        .exclude(state=CaseState.CLOSED)
        .select_related("facility")
        .only(
            "number",
            "topic",
            "facility",
            "received_at",
            "respond_by",
            "escalated_at",
            "consent_abroad_at",
        )
        .order_by("escalated_at")
    )


def satisfied_share(satisfied: int, answered: int) -> float | None:
    """The share of workers who said the outcome satisfies them, of those who said anything."""
    return satisfied / answered if answered else None


@dataclass
class Row:
    label: Any
    received: int
    open: int
    closed: int
    share: float | None


FIGURES = {
    "received": Count("pk"),
    "open": Count("pk", filter=~Q(state=CaseState.CLOSED)),
    "closed": Count("pk", filter=Q(state=CaseState.CLOSED)),
    "satisfied": Count("pk", filter=Q(worker_satisfied=True)),
    "answered": Count("pk", filter=Q(worker_satisfied__isnull=False)),
}


def _rows(cases: QuerySet[Case], by: str, label: Any) -> list[Row]:
    grouped = cases.order_by().values(by).annotate(**FIGURES).order_by(by)
    return [
        Row(
            label(g[by]),
            g["received"],
            g["open"],
            g["closed"],
            satisfied_share(g["satisfied"], g["answered"]),
        )
        for g in grouped
    ]


def learning(cases: QuerySet[Case]) -> dict[str, list[Row]]:
    """The organisation's received cases by issue, by facility and by month."""
    from stonebridge.risk.models import Issue
    from stonebridge.supplychain.models import Facility

    issues = {i.pk: str(i) for i in Issue.objects.all()}
    facilities = {f.pk: str(f) for f in Facility.objects.filter(pk__in=cases.values("facility"))}
    monthly = cases.annotate(month=TruncMonth("received_at"))
    return {
        "issue": _rows(cases, "issue", lambda pk: issues.get(pk, "—")),
        "facility": _rows(cases, "facility", lambda pk: facilities.get(pk, "—")),
        "month": _rows(monthly, "month", lambda m: m),
    }
