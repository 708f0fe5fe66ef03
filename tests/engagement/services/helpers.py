"""What the engagement service tests share: dates, a photo, actions, measures, findings, an
order and an exit plan, and the audit entries written since a point."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from stonebridge.audit.models import Entry
from stonebridge.engagement.models import Action, Measure
from stonebridge.engagement.services import escalation, measures, plans
from stonebridge.risk import services as risk
from stonebridge.risk.models import Evidence

TODAY = timezone.localdate()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def days_ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def new_action(plan, by, kind="corrective", issue="OHS", due_on=None, **values) -> Action:
    return plans.action_create(
        plan=plan,
        by=by,
        title=values.pop("title", "Wet cutting at every station"),
        issue=issue,
        kind=kind,
        due_on=due_on or TODAY + timedelta(days=60),
        **values,
    )


def outcome(action, by, baseline="66", indicator="weekly_hours") -> Measure:
    return measures.measure_add(
        action=action,
        by=by,
        kind="outcome",
        indicator=indicator,
        baseline=None if baseline is None else Decimal(baseline),
    )


def finding(buyer, owner, facility, indicator="OHS_SILICA", issue="OHS", **values) -> Evidence:
    return risk.evidence_record(
        organisation=buyer,
        by=owner,
        facility=facility,
        issue=issue,
        indicator=indicator,
        kind="finding",
        observed_on=values.pop("observed_on", days_ago(30)),
        source_type="audit",
        summary=values.pop("summary", "Dry cutting without dust extraction."),
        **values,
    )


def new_entries(since: int) -> list[str]:
    return sorted(Entry.objects.filter(id__gt=since).values_list("verb", flat=True))


def last_entry_id() -> int:
    return Entry.objects.order_by("-id").values_list("id", flat=True).first() or 0


ORDER = {
    "reference": "PO-2026-001",
    "placed_on": date(2026, 3, 2),
    "delivery_due_on": date(2026, 4, 1),  # 30 days
    "payment_days": 30,
    "quantity": Decimal(800),
    "unit": "m2",
    "unit_price": Decimal("9.50"),
    "labour_cost_per_unit": Decimal("11.00"),
    "currency": "EUR",
}


def exit_plan(relationship, by):
    return escalation.exit_plan_create(
        relationship=relationship,
        by=by,
        reason="Prison labour in the quarry of origin.",
        decided_on=TODAY - timedelta(days=90),
        notice_days=90,
        workers_affected=40,
        wind_down="Orders placed are delivered; no new orders after notice.",
    )
