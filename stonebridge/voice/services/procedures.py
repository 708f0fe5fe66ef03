"""The supplier runs its own grievance procedure: its deadlines and description, the named
members of its committee, and the dialogue meetings it holds with workers."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stonebridge.accounts.models import Organisation, User
from stonebridge.audit.services import record
from stonebridge.supplychain.models import Facility

from ..models import CommitteeMember, Meeting, Procedure


def check_runs_procedures(organisation: Organisation) -> None:
    if organisation.kind != Organisation.Kind.SUPPLIER:
        raise ValidationError(
            _("Only a supplier's organisation runs a factory grievance procedure.")
        )


@transaction.atomic
def procedure_save(
    *,
    organisation: Organisation,
    by: User | None,
    acknowledge_days: int,
    respond_days: int,
    description: str = "",
    contact: str = "",
) -> Procedure:
    """Set up or change the procedure. New deadlines apply to cases that arrive afterwards."""
    check_runs_procedures(organisation)
    if respond_days < acknowledge_days:
        raise ValidationError(
            {"respond_days": _("The answer cannot be due before the worker is told it arrived.")}
        )
    procedure = Procedure.objects.filter(organisation=organisation).first() or Procedure(
        organisation=organisation
    )
    created = procedure.pk is None
    procedure.acknowledge_days = acknowledge_days
    procedure.respond_days = respond_days
    procedure.description = description.strip()
    procedure.contact = contact.strip()
    procedure.updated_at = timezone.now()
    procedure.full_clean()
    procedure.save()
    record(
        actor=by,
        organisation=organisation,
        verb="voice.procedure_created" if created else "voice.procedure_changed",
        target=procedure,
        changes={"acknowledge_days": acknowledge_days, "respond_days": respond_days},
    )
    return procedure


def _procedure(organisation: Organisation) -> Procedure:
    procedure = Procedure.objects.filter(organisation=organisation).first()
    if procedure is None:
        raise ValidationError(_("Set up the grievance procedure first."))
    return procedure


@transaction.atomic
def committee_member_add(
    *,
    organisation: Organisation,
    by: User | None,
    name: str,
    role: str,
    chosen: str,
    since: date,
) -> CommitteeMember:
    procedure = _procedure(organisation)
    member = CommitteeMember(
        procedure=procedure, name=name.strip(), role=role, chosen=chosen, since=since
    )
    member.full_clean()
    member.save()
    # The member's name stays out of the log's changes: the log shows the row's label.
    record(
        actor=by,
        organisation=organisation,
        verb="voice.committee_member_added",
        target=member,
        changes={"role": role, "chosen": chosen, "since": since.isoformat()},
    )
    return member


@transaction.atomic
def committee_member_remove(
    *, member: CommitteeMember, by: User | None, until: date | None = None
) -> CommitteeMember:
    """The member leaves the committee; the row stays, with the day they left."""
    if member.until is not None and member.until <= timezone.localdate():
        raise ValidationError(_("This person has already left the committee."))
    until = until or timezone.localdate()
    if until < member.since:
        raise ValidationError({"until": _("A member cannot leave before they joined.")})
    member.until = until
    member.save(update_fields=["until"])
    record(
        actor=by,
        organisation=member.procedure.organisation,
        verb="voice.committee_member_removed",
        target=member,
        changes={"until": until.isoformat()},
    )
    return member


@transaction.atomic
def meeting_record(
    *,
    organisation: Organisation,
    by: User | None,
    held_on: date,
    workers_present: int,
    topics: str,
    minutes: str,
    follow_up: str = "",
    facility: Facility | None = None,
) -> Meeting:
    procedure = _procedure(organisation)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Record a meeting once it has been held.")})
    meeting = Meeting(
        procedure=procedure,
        held_on=held_on,
        facility=facility,
        workers_present=workers_present,
        topics=topics.strip(),
        minutes=minutes.strip(),
        follow_up=follow_up.strip(),
        recorded_by=by,
    )
    meeting.full_clean()
    meeting.save()
    record(
        actor=by,
        organisation=organisation,
        verb="voice.meeting_recorded",
        target=meeting,
        changes={"held_on": held_on.isoformat(), "workers_present": workers_present},
    )
    return meeting
