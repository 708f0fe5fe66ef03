"""Deadlines of open cases, checked by the scheduled command `manage.py voice_deadlines`.

The rule, run once a day (running it again sends nothing new; each notice has a key):

- A case still unacknowledged after its acknowledge-by date, or unanswered (not resolved or
  closed) after its respond-by date, is overdue: the owners of every organisation it is routed to
  are told, once for each deadline.
- A case routed only to the factory's own grievance committee that misses its respond-by date is
  escalated: `escalated_at` is set and the owners of the buyers sponsoring the channel are told.
  They do not become recipients, since the worker chose the committee: they learn the facts only
  (the case number, the facility, the dates) and the topic only when the worker agreed to the
  case leaving China; never the worker's words or identity. The buyer can then take it up with
  the supplier through its own relationship.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stonebridge.accounts.models import Membership, Organisation, Role
from stonebridge.audit.services import record
from stonebridge.notifications.models import Notification
from stonebridge.notifications.services import notify

from ..models import Case, CaseState, Route, Topic
from .handling import case_url

ANSWERED = (CaseState.RESOLVED, CaseState.CLOSED)

NOT_ACKNOWLEDGED = _(
    "Grievance #%(number)s was not acknowledged by %(due)s: tell the worker it was received."
)
NOT_ANSWERED = _("Grievance #%(number)s was not answered by %(due)s.")
ESCALATED_TOPIC = _(
    "The factory's committee did not answer grievance #%(number)s at %(facility)s by %(due)s "
    "(received %(received)s; about: %(topic)s)."
)
ESCALATED = _(
    "The factory's committee did not answer grievance #%(number)s at %(facility)s by %(due)s "
    "(received %(received)s)."
)


@dataclass
class Report:
    overdue: int = 0
    escalated: int = 0


def not_acknowledged(today: date) -> Q:
    return Q(state=CaseState.RECEIVED, acknowledge_by__lt=today)


def not_answered(today: date) -> Q:
    return ~Q(state__in=ANSWERED) & Q(respond_by__lt=today)


def overdue(cases: QuerySet[Case], today: date | None = None) -> QuerySet[Case]:
    today = today or timezone.localdate()
    return cases.filter(not_acknowledged(today) | not_answered(today))


def _owners(organisation_ids: list[int]) -> dict[int, list]:
    found: dict[int, list] = {}
    for m in Membership.objects.filter(
        organisation_id__in=organisation_ids, role=Role.OWNER
    ).select_related("user"):
        found.setdefault(m.organisation_id, []).append(m.user)
    return found


def _overdue_notices(case: Case, today: date) -> int:
    late = []
    if case.state == CaseState.RECEIVED and case.acknowledge_by < today:
        late.append(("acknowledge", NOT_ACKNOWLEDGED, case.acknowledge_by))
    if case.state not in ANSWERED and case.respond_by < today:
        late.append(("respond", NOT_ANSWERED, case.respond_by))
    routings = list(case.routings.select_related("organisation"))
    owners = _owners([r.organisation_id for r in routings])
    sent = 0
    for step, message, due in late:
        for routing in routings:
            sent += len(
                notify(
                    users=owners.get(routing.organisation_id, []),
                    organisation=routing.organisation,
                    kind=Notification.Kind.GRIEVANCE_OVERDUE,
                    message=message,
                    params={"number": case.number, "due": due},
                    url=case_url(case, routing.organisation),
                    key=f"voice-case-{case.pk}-late-{step}-{due.isoformat()}",
                )
            )
    return sent


@transaction.atomic
def case_escalate(case: Case) -> bool:
    """Escalate a committee-only case past its respond-by date to the sponsoring buyers."""
    case = Case.objects.select_for_update().select_related("facility").get(pk=case.pk)
    if case.escalated_at is not None:
        return False
    case.escalated_at = timezone.now()
    case.save(update_fields=["escalated_at"])
    sponsors = list(
        Organisation.objects.filter(pk__in=case.channel.sponsors.values("organisation"))
    )
    owners = _owners([o.pk for o in sponsors])
    params: dict[str, object] = {
        "number": case.number,
        "facility": str(case.facility),
        "due": case.respond_by,
        "received": timezone.localdate(case.received_at),
    }
    message = ESCALATED
    if case.consent_abroad_at is not None:
        message = ESCALATED_TOPIC
        params["topic"] = Topic(case.topic).label
    for buyer in sponsors:
        notify(
            users=owners.get(buyer.pk, []),
            organisation=buyer,
            kind=Notification.Kind.GRIEVANCE_ESCALATED,
            message=message,
            params=params,
            url=f"/o/{buyer.slug}/voice/",
            key=f"voice-case-{case.pk}-escalated",
        )
        record(
            actor=None,
            organisation=buyer,
            verb="voice.case_escalated",
            target=case,
            changes={"respond_by": case.respond_by.isoformat()},
        )
    return True


def deadlines_check(today: date | None = None) -> Report:
    """Tell the owners about overdue cases and escalate the committee's missed ones."""
    today = today or timezone.localdate()
    report = Report()
    late = overdue(Case.objects.all(), today).select_related("channel")
    for case in late:
        if _overdue_notices(case, today):
            report.overdue += 1
        escalates = (
            case.route == Route.COMMITTEE
            and case.escalated_at is None
            and case.state not in ANSWERED
            and case.respond_by < today
        )
        if escalates and case_escalate(case):
            report.escalated += 1
    return report
