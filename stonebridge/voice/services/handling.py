"""Handling a case, by each organisation it is routed to: triage, assignment, acknowledgement,
messages to the worker, internal notes, reading the worker's identity for a reason, writing down a
voice message, links to the organisation's own findings and plans, the outcome, closing and
reopening.

The case's state is one for all its recipients, since the worker follows one case:
received → acknowledged → in progress → resolved (answered, waiting for the worker's view) →
closed, and reopened back to in progress. Any handling step (triage, assignment, a message to the
worker) on a case not yet in progress moves it there, acknowledging it on the way.

The audit log names what was done and by whom, never the worker's words or identity: messages,
notes, transcripts and outcomes stay in the encrypted fields of the case.
"""

from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stonebridge.accounts.models import Membership, Organisation, User
from stonebridge.accounts.ownership import owned_by
from stonebridge.assessments.models import Finding
from stonebridge.audit.services import record
from stonebridge.engagement.models import Plan
from stonebridge.notifications.models import Notification
from stonebridge.notifications.services import notify
from stonebridge.risk import services as risk
from stonebridge.risk.models import Evidence, EvidenceKind, Issue, SourceType

from ..models import (
    Attachment,
    AttachmentKind,
    Case,
    CaseState,
    IdentityReveal,
    Message,
    Routing,
    RoutingKind,
    Sender,
    Severity,
    Topic,
    Urgency,
)

OPEN_STEPS = (CaseState.RECEIVED, CaseState.ACKNOWLEDGED)
HANDLING = (CaseState.ACKNOWLEDGED, CaseState.IN_PROGRESS)
# How sure a grievance makes the organisation, by the severity it triaged: a worker's own account
# weighs as much as an audit's finding once a handler has looked at it.
CONFIDENCE = {
    Severity.LOW: "low",
    Severity.MEDIUM: "medium",
    Severity.HIGH: "high",
    Severity.CRITICAL: "high",
}


def refuse(message: Any) -> NoReturn:
    raise ValidationError(message)


def origin_of(case: Case) -> str:
    """Where risk evidence from this case says it came from."""
    return f"voice.case:{case.pk}"


def routing_of(case: Case, organisation: Organisation) -> Routing:
    routing = Routing.objects.filter(case=case, organisation=organisation).first()
    if routing is None:
        refuse(_("This case is not routed to your organisation."))
    return routing


def leading_routing(case: Case, organisation: Organisation) -> Routing:
    """The organisation's routing, if it handles the case (`Routing.leads`)."""
    routing = routing_of(case, organisation)
    if not routing.leads:
        refuse(
            _(
                "The worker sent this case to the buyers and let the factory read it: "
                "the buyers handle it."
            )
        )
    return routing


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _not_closed(case: Case) -> None:
    if case.state == CaseState.CLOSED:
        refuse(_("The case is closed: reopen it first."))


def _start(case: Case) -> list[str]:
    """Move a new or acknowledged case to in progress; the fields that changed."""
    if case.state not in OPEN_STEPS:
        return []
    if case.acknowledged_at is None:
        case.acknowledged_at = timezone.now()
    case.state = CaseState.IN_PROGRESS
    return ["state", "acknowledged_at"]


def _log(
    case: Case, organisation: Organisation, by: User | None, verb: str, **changes: Any
) -> None:
    record(actor=by, organisation=organisation, verb=f"voice.{verb}", target=case, changes=changes)


@transaction.atomic
def case_acknowledge(*, case: Case, organisation: Organisation, by: User) -> Case:
    """Tell the worker the case arrived and is read."""
    leading_routing(case, organisation)
    case = _locked(case)
    if case.state != CaseState.RECEIVED:
        refuse(_("The case was already acknowledged."))
    case.state = CaseState.ACKNOWLEDGED
    case.acknowledged_at = timezone.now()
    case.save(update_fields=["state", "acknowledged_at"])
    _log(case, organisation, by, "case_acknowledged")
    return case


@transaction.atomic
def case_triage(
    *,
    case: Case,
    organisation: Organisation,
    by: User,
    issue: Issue | str | None,
    severity: str,
    urgency: str,
) -> Case:
    """The issue, severity and urgency a handler judges; imminent danger and children first.
    A buyer's or the covenant's triage with an issue becomes its risk evidence (`_evidence`)."""
    routing = leading_routing(case, organisation)
    if isinstance(issue, str):
        issue = Issue.objects.filter(pk=issue).first() if issue else None
    errors = {}
    if severity not in Severity.values:
        errors["severity"] = _("Choose how severe it is.")
    if urgency not in Urgency.values:
        errors["urgency"] = _("Choose how urgent it is.")
    if errors:
        refuse(errors)
    case = _locked(case)
    _not_closed(case)
    before = {"issue": case.issue_id, "severity": case.severity, "urgency": case.urgency}
    case.issue, case.severity, case.urgency = issue, severity, urgency
    fields = ["issue", "severity", "urgency", *_start(case)]
    case.save(update_fields=fields)
    after = {"issue": case.issue_id, "severity": severity, "urgency": urgency}
    _log(case, organisation, by, "case_triaged", **{k: [before[k], after[k]] for k in after})
    _evidence(case, routing, by)
    return case


def _evidence(case: Case, routing: Routing, by: User | None) -> Evidence | None:
    """The case as a grievance in the organisation's risk register: one per case and
    organisation, replaced when a re-triage changes the issue or severity. Only buyers and the
    covenant score risk; the factory's own committee handles its cases without a register. The
    summary holds the case's facts, never the worker's words."""
    if routing.kind == RoutingKind.FACTORY:
        return None
    current = Evidence.objects.counting().filter(
        organisation_id=routing.organisation_id, origin=origin_of(case)
    )
    found = current.first()
    confidence = CONFIDENCE.get(Severity(case.severity), "medium") if case.severity else "medium"
    if found and case.issue_id == found.issue_id and found.confidence == confidence:
        return found
    if found:
        risk.evidence_retract(evidence=found, by=by, reason=_("The case was triaged again."))
    if case.issue is None:
        return None
    return risk.evidence_record(
        organisation=routing.organisation,
        by=by,
        facility=case.facility,
        issue=case.issue,
        kind=EvidenceKind.GRIEVANCE,
        observed_on=timezone.localdate(case.received_at),
        source_type=SourceType.GRIEVANCE,
        confidence=confidence,
        summary=_("Grievance #%(number)s from a worker: %(topic)s")
        % {"number": case.number, "topic": Topic(case.topic).label},
        origin=origin_of(case),
    )


def _withdraw_evidence(case: Case, organisation: Organisation, by: User | None) -> None:
    for evidence in Evidence.objects.counting().filter(
        organisation=organisation, origin=origin_of(case)
    ):
        risk.evidence_retract(
            evidence=evidence, by=by, reason=_("The case was closed as unfounded.")
        )


@transaction.atomic
def case_assign(
    *, case: Case, organisation: Organisation, by: User, assigned_to: User | None
) -> Routing:
    """Who in the organisation handles the case (its own handler; others keep theirs)."""
    routing = routing_of(case, organisation)
    if (
        assigned_to is not None
        and not Membership.objects.filter(user=assigned_to, organisation=organisation).exists()
    ):
        refuse({"assigned_to": _("Choose someone in your organisation.")})
    case = _locked(case)
    _not_closed(case)
    routing.assigned_to = assigned_to
    routing.save(update_fields=["assigned_to"])
    if fields := _start(case):
        case.save(update_fields=fields)
    _log(case, organisation, by, "case_assigned", assigned_to=assigned_to and assigned_to.pk)
    return routing


def _message(
    case: Case, organisation: Organisation, by: User, text: str, *, question: bool, internal: bool
) -> Message:
    if internal:
        routing_of(case, organisation)
    else:
        leading_routing(case, organisation)
    if not text.strip():
        refuse({"text": _("Write the message.")})
    case = _locked(case)
    _not_closed(case)
    if not internal and (fields := _start(case)):
        case.save(update_fields=fields)
    message = Message.objects.create(
        case=case,
        sender=Sender.HANDLER,
        organisation=organisation,
        author=by,
        body=text.strip(),
        question=question and not internal,
        internal=internal,
    )
    verb = "case_noted" if internal else "case_messaged"
    _log(case, organisation, by, verb, message=message.pk, question=message.question)
    return message


@transaction.atomic
def case_message(
    *, case: Case, organisation: Organisation, by: User, text: str, question: bool = False
) -> Message:
    """A message the worker reads with the receipt code; a question asks for an answer."""
    return _message(case, organisation, by, text, question=question, internal=False)


@transaction.atomic
def case_note(*, case: Case, organisation: Organisation, by: User, text: str) -> Message:
    """An internal note: only the note's organisation reads it, never the worker."""
    return _message(case, organisation, by, text, question=False, internal=True)


@transaction.atomic
def identity_reveal(
    *, case: Case, organisation: Organisation, by: User, reason: str
) -> dict[str, str]:
    """The worker's name and phone, read for a stated reason; each reading is kept."""
    leading_routing(case, organisation)
    if not reason.strip():
        refuse({"reason": _("Say why you need to know who the worker is.")})
    if case.anonymous or case.erased_at is not None:
        refuse(_("The worker stayed anonymous: there is nothing to reveal."))
    reveal = IdentityReveal.objects.create(
        case=case, organisation=organisation, user=by, reason=reason.strip()
    )
    # The reason is the handler's own words and says why; the name and phone never reach the log.
    _log(case, organisation, by, "identity_revealed", reveal=reveal.pk, reason=reveal.reason)
    return {"name": case.contact_name, "phone": case.contact_phone}


@transaction.atomic
def voice_transcribe(*, case: Case, organisation: Organisation, by: User, text: str) -> Case:
    """The handler writes down the worker's voice message: the words join the case's description
    and the recording is deleted, since a voice can identify the worker."""
    leading_routing(case, organisation)
    if not text.strip():
        refuse({"text": _("Write down what the worker says.")})
    case = _locked(case)
    voices = Attachment.objects.filter(case=case, kind=AttachmentKind.VOICE)
    if not voices.exists():
        refuse(_("There is no voice message to write down."))
    heading = _("Voice message, written down:")
    written = f"{heading}\n{text.strip()}"
    case.description = f"{case.description}\n\n{written}" if case.description else written
    case.save(update_fields=["description"])
    deleted, _counts = voices.delete()
    _log(case, organisation, by, "voice_transcribed", deleted=deleted)
    return case


@transaction.atomic
def case_link(
    *,
    case: Case,
    organisation: Organisation,
    by: User,
    finding: Finding | None = None,
    plan: Plan | None = None,
) -> Routing:
    """Link the case to the organisation's own finding and improvement plan (None unlinks);
    each organisation's links stay its own."""
    routing = routing_of(case, organisation)
    errors = {}
    if (
        finding is not None
        and not Finding.objects.filter(owned_by(Finding, organisation), pk=finding.pk).exists()
    ):
        errors["finding"] = _("Choose one of your own findings.")
    if (
        plan is not None
        and not Plan.objects.filter(owned_by(Plan, organisation), pk=plan.pk).exists()
    ):
        errors["plan"] = _("Choose one of your own plans.")
    if errors:
        refuse(errors)
    routing.finding, routing.plan = finding, plan
    routing.save(update_fields=["finding", "plan"])
    _log(
        case,
        organisation,
        by,
        "case_linked",
        finding=finding and finding.pk,
        plan=plan and plan.pk,
    )
    return routing


@transaction.atomic
def case_resolve(*, case: Case, organisation: Organisation, by: User, outcome: str) -> Case:
    """The answer to the worker: what was found and done. The worker then says whether it
    satisfies them."""
    leading_routing(case, organisation)
    if not outcome.strip():
        refuse({"outcome": _("Say what was found and what was done.")})
    case = _locked(case)
    if case.state not in HANDLING:
        refuse(_("Only a case being handled can be answered."))
    case.outcome = outcome.strip()
    case.state = CaseState.RESOLVED
    case.resolved_at = timezone.now()
    case.save(update_fields=["outcome", "state", "resolved_at"])
    _log(case, organisation, by, "case_resolved")
    return case


@transaction.atomic
def case_close(
    *,
    case: Case,
    organisation: Organisation,
    by: User,
    unfounded: bool = False,
    worker_satisfied: bool | None = None,
) -> Case:
    """Close an answered case (with the worker's view when the worker told the handler), or
    any open case found unfounded, whose risk evidence is then withdrawn."""
    leading_routing(case, organisation)
    case = _locked(case)
    if case.state == CaseState.CLOSED:
        refuse(_("The case is already closed."))
    if case.state != CaseState.RESOLVED and not unfounded:
        refuse(_("Answer the worker before closing the case."))
    case.state = CaseState.CLOSED
    case.closed_at = timezone.now()
    fields = ["state", "closed_at"]
    if worker_satisfied is not None:
        case.worker_satisfied = worker_satisfied
        fields.append("worker_satisfied")
    case.save(update_fields=fields)
    _log(case, organisation, by, "case_closed", unfounded=unfounded, satisfied=worker_satisfied)
    if unfounded:
        # Only the organisation's own judgement: another recipient's evidence stays its own.
        _withdraw_evidence(case, organisation, by)
    return case


@transaction.atomic
def case_reopen(*, case: Case, organisation: Organisation, by: User, reason: str = "") -> Case:
    """Take up an answered or closed case again (the worker was not satisfied, something new)."""
    leading_routing(case, organisation)
    case = _locked(case)
    if case.state not in (CaseState.RESOLVED, CaseState.CLOSED):
        refuse(_("Only an answered or closed case can be reopened."))
    case.state = CaseState.IN_PROGRESS
    case.closed_at = None
    case.resolved_at = None
    case.reopened += 1
    case.save(update_fields=["state", "closed_at", "resolved_at", "reopened"])
    _log(case, organisation, by, "case_reopened", reason=reason.strip(), times=case.reopened)
    return case


ARRIVAL = gettext_lazy("A worker sent grievance #%(number)s: %(topic)s")


def case_url(case: Case, organisation: Organisation) -> str:
    return f"/o/{organisation.slug}/voice/cases/{case.pk}/"


def notify_arrival(case: Case) -> None:
    """Tell every member of each organisation the case is routed to that it arrived."""
    for routing in case.routings.select_related("organisation"):
        organisation = routing.organisation
        users = [m.user for m in organisation.memberships.select_related("user")]
        notify(
            users=users,
            organisation=organisation,
            kind=Notification.Kind.GRIEVANCE,
            message=ARRIVAL,
            params={"number": case.number, "topic": Topic(case.topic).label},
            url=case_url(case, organisation),
            key=f"voice-case-{case.pk}-arrived",
        )
