"""Gathers the facts of a supplier's grievance procedure for a buyer that works with it, and
hands them to the pure `voice.health`. Only the cases the workers routed to the factory's
committee (or let it read) at the relationship's site count; none leaves here as a case."""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from stonebridge.engagement.models import Relationship

from ..health import CaseFacts, Health, health
from ..models import Case, Meeting, RoutingKind

# StoneBridge default: the health page looks at the last year unless asked otherwise.
DEFAULT_PERIOD_DAYS = 365


def works_with(relationship: Relationship) -> bool:
    """The buyer works with the supplier's organisation: it named it, the supplier accepted,
    and the relationship has not ended."""
    return relationship.shared and not relationship.ended


def _day(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def procedure_health(
    *,
    relationship: Relationship,
    today: date,
    start: date | None = None,
    end: date | None = None,
) -> Health:
    """404 when the buyer does not work with a supplier's organisation through it."""
    supplier_id = relationship.supplier_id
    if supplier_id is None or not works_with(relationship):
        raise Http404
    end = end or today
    start = start or end - timedelta(days=DEFAULT_PERIOD_DAYS)
    if start > end:
        raise ValidationError({"start": _("The period ends before it starts.")})
    cases = (
        Case.objects.filter(
            facility_id=relationship.facility_id,
            routings__organisation_id=supplier_id,
            routings__kind=RoutingKind.FACTORY,
        )
        .distinct()
        .only(
            "topic",
            "received_at",
            "acknowledge_by",
            "respond_by",
            "acknowledged_at",
            "resolved_at",
            "worker_satisfied",
        )
    )
    facts = [
        CaseFacts(
            topic=case.topic,
            received_on=timezone.localdate(case.received_at),
            acknowledge_by=case.acknowledge_by,
            respond_by=case.respond_by,
            acknowledged_on=_day(case.acknowledged_at),
            resolved_on=_day(case.resolved_at),
            satisfied=case.worker_satisfied,
        )
        for case in cases
    ]
    # Meetings at this site, and those the procedure holds for all its sites.
    held = Meeting.objects.filter(
        Q(facility__isnull=True) | Q(facility_id=relationship.facility_id),
        procedure__organisation_id=supplier_id,
        held_on__range=(start, end),
    )
    return health(
        facts, list(held.values_list("held_on", flat=True)), start=start, end=end, today=today
    )
