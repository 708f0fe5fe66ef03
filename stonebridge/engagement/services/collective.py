"""Collective engagement: a covenant member's sharing setting, proposing joint action with a
supplier it shares with other members, joining and leaving it, the joint plan's steps, and the
proposing member closing it. Those concerned are told (`collective_notices.py`). Each
change is logged in the acting member's own audit log (never in another member's: that would
name it there)."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stonebridge.accounts.models import Membership, Organisation, Role, User
from stonebridge.audit.services import record
from stonebridge.languages import placed
from stonebridge.supplychain.models import Facility

from ..collective import buys_from, participation
from ..models import CollectiveEngagement, CollectiveParticipant, CovenantSharing, JointAction
from . import collective_notices as notices


def _log(
    by: User | None, organisation: Organisation, verb: str, target: Any, **changes: Any
) -> None:
    record(
        actor=by,
        organisation=organisation,
        verb=f"engagement.{verb}",
        target=target,
        changes=changes,
    )


def _check_member(organisation: Organisation) -> Organisation:
    if organisation.kind != Organisation.Kind.BUYER or organisation.covenant is None:
        raise ValidationError(_("Only members of a covenant act together with other members."))
    return organisation.covenant


def _check_open(collective: CollectiveEngagement) -> None:
    # A closed joint action keeps its plan as it was: participants read it, nobody changes it.
    if collective.closed:
        raise ValidationError(_("This joint action is closed."))


def _check_buys_from(organisation: Organisation, facility: Facility) -> None:
    if not buys_from(organisation, facility):
        raise ValidationError(
            {"facility": _("You can act together only at a supplier you buy from.")}
        )


@transaction.atomic
def covenant_sharing_set(
    *,
    organisation: Organisation,
    by: User | None,
    count_when_few: bool,
    named_to_members: bool,
) -> CovenantSharing:
    _check_member(organisation)
    sharing, _created = CovenantSharing.objects.get_or_create(organisation=organisation)
    sharing.count_when_few = count_when_few
    sharing.named_to_members = named_to_members
    sharing.changed_at = timezone.now()
    sharing.changed_by = by
    sharing.save()
    _log(
        by,
        organisation,
        "covenant_sharing_set",
        sharing,
        count_when_few=count_when_few,
        named_to_members=named_to_members,
    )
    return sharing


@transaction.atomic
def collective_propose(
    *,
    organisation: Organisation,
    by: User | None,
    facility: Facility,
    title: str = "",
    title_zh: str = "",
    description: str = "",
    description_zh: str = "",
    named_to_others: bool = False,
) -> CollectiveEngagement:
    covenant = _check_member(organisation)
    _check_buys_from(organisation, facility)
    title, title_zh = placed(title.strip(), title_zh.strip())
    description, description_zh = placed(description.strip(), description_zh.strip())
    if not (title or title_zh):
        raise ValidationError({"title": _("Write it in English, Chinese or both.")})
    collective = CollectiveEngagement(
        covenant=covenant,
        facility=facility,
        proposed_by=organisation,
        title=title,
        title_zh=title_zh,
        description=description,
        description_zh=description_zh,
        created_by=by,
    )
    collective.full_clean()
    collective.save()
    CollectiveParticipant.objects.create(
        collective=collective, organisation=organisation, named_to_others=named_to_others
    )
    _log(by, organisation, "collective_proposed", collective, facility=facility.pk)
    notices.tell_proposed(collective)
    return collective


@transaction.atomic
def collective_join(
    *,
    collective: CollectiveEngagement,
    organisation: Organisation,
    by: User | None,
    named_to_others: bool = False,
) -> CollectiveParticipant:
    covenant = _check_member(organisation)
    if collective.covenant_id != covenant.pk:
        raise ValidationError(_("This joint action belongs to another covenant."))
    _check_open(collective)
    if participation(collective, organisation) is not None:
        raise ValidationError(_("You already take part."))
    _check_buys_from(organisation, collective.facility)
    participant, _created = CollectiveParticipant.objects.update_or_create(
        collective=collective,
        organisation=organisation,
        defaults={"joined_at": timezone.now(), "left_at": None, "named_to_others": named_to_others},
    )
    if collective.status == CollectiveEngagement.Status.PROPOSED:
        collective.status = CollectiveEngagement.Status.ACTIVE
        collective.save(update_fields=["status"])
    _log(by, organisation, "collective_joined", collective, named_to_others=named_to_others)
    notices.tell_joined(collective, participant)
    return participant


@transaction.atomic
def collective_naming_set(
    *, collective: CollectiveEngagement, organisation: Organisation, by: User | None, named: bool
) -> CollectiveParticipant:
    participant = participation(collective, organisation)
    if participant is None:
        raise ValidationError(_("You do not take part."))
    participant.named_to_others = named
    participant.save(update_fields=["named_to_others"])
    _log(by, organisation, "collective_naming_set", collective, named_to_others=named)
    return participant


@transaction.atomic
def collective_leave(
    *, collective: CollectiveEngagement, organisation: Organisation, by: User | None
) -> CollectiveParticipant:
    participant = participation(collective, organisation)
    if participant is None:
        raise ValidationError(_("You do not take part."))
    _check_open(collective)
    participant.left_at = timezone.now()
    participant.save(update_fields=["left_at"])
    _log(by, organisation, "collective_left", collective)
    return participant


@transaction.atomic
def joint_action_add(
    *,
    collective: CollectiveEngagement,
    organisation: Organisation,
    by: User | None,
    title: str = "",
    title_zh: str = "",
    due_on: date | None = None,
) -> JointAction:
    if participation(collective, organisation) is None:
        raise ValidationError(_("Join first: the joint plan belongs to those who take part."))
    _check_open(collective)
    title, title_zh = placed(title.strip(), title_zh.strip())
    if not (title or title_zh):
        raise ValidationError({"title": _("Write it in English, Chinese or both.")})
    action = JointAction.objects.create(
        collective=collective, title=title, title_zh=title_zh, due_on=due_on, added_by=organisation
    )
    _log(by, organisation, "joint_action_added", action, collective=collective.pk)
    return action


@transaction.atomic
def joint_action_done(
    *, action: JointAction, organisation: Organisation, by: User | None
) -> JointAction:
    if participation(action.collective, organisation) is None:
        raise ValidationError(_("Join first: the joint plan belongs to those who take part."))
    _check_open(action.collective)
    action.status = JointAction.Status.DONE
    action.save(update_fields=["status"])
    _log(by, organisation, "joint_action_done", action, collective=action.collective_id)
    return action


def _check_may_close(
    collective: CollectiveEngagement, organisation: Organisation, by: User | None
) -> None:
    if collective.proposed_by_id != organisation.pk:
        raise ValidationError(_("Only the member who proposed this joint action can close it."))
    # Pages and API let only editors and owners post; a script calling the service directly
    # is held to the same rule.
    if by is not None:
        membership = Membership.objects.filter(user=by, organisation=organisation).first()
        if membership is None or not membership.allows(Role.EDITOR):
            raise PermissionDenied
    _check_open(collective)


@transaction.atomic
def collective_close(
    *,
    collective: CollectiveEngagement,
    organisation: Organisation,
    by: User | None,
    note: str = "",
    note_zh: str = "",
) -> CollectiveEngagement:
    """The proposing member ends the joint action, with a short note to the participants in
    English, Chinese or both. The joint plan stays for them to read, and no longer changes."""
    collective = CollectiveEngagement.objects.select_for_update().get(pk=collective.pk)
    _check_may_close(collective, organisation, by)
    note, note_zh = placed(note.strip(), note_zh.strip())
    if not (note or note_zh):
        raise ValidationError(
            {"note": _("Say in a few words why it ends: in English, Chinese or both.")}
        )
    collective.status = CollectiveEngagement.Status.CLOSED
    collective.closing_note = note
    collective.closing_note_zh = note_zh
    collective.closed_at = timezone.now()
    collective.closed_by = by
    collective.full_clean()
    collective.save(
        update_fields=["status", "closing_note", "closing_note_zh", "closed_at", "closed_by"]
    )
    _log(by, organisation, "collective_closed", collective)
    notices.tell_closed(collective)
    return collective
