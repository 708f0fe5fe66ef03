"""Remediation a buyer provides for harm that happened: it opens a remedy, sets its
milestones, marks them done and records how the result was verified.

None of these checks whether the relationship with the supplier is still open: the guidance
asks that remediation continues after a buyer exits, until it is done."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stonebridge.accounts.models import Organisation, User
from stonebridge.audit.services import record
from stonebridge.engagement.models import Plan, Relationship
from stonebridge.supplychain.models import Facility

from ..models import Case, Remedy, RemedyMilestone, RemedyState


def _check_links(
    organisation: Organisation, facility: Facility, case: Case | None, plan: Plan | None
) -> None:
    errors: dict[str, str] = {}
    if case is not None and (
        case.facility_id != facility.pk
        or not case.routings.filter(organisation=organisation).exists()
    ):
        errors["case"] = _("Choose a grievance sent to you about this site.")
    if plan is not None and (
        plan.relationship.organisation_id != organisation.pk or plan.facility_id != facility.pk
    ):
        errors["plan"] = _("Choose one of your improvement plans for this site.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def remedy_open(
    *,
    organisation: Organisation,
    by: User | None,
    facility: Facility,
    kind: str,
    description: str,
    workers_covered: int,
    paid_by: str,
    amount: Decimal | None = None,
    currency: str = "",
    case: Case | None = None,
    plan: Plan | None = None,
) -> Remedy:
    _check_links(organisation, facility, case, plan)
    currency = currency.strip().upper()
    if amount is not None and len(currency) != 3:
        raise ValidationError({"currency": _("Give the currency as a three-letter code (CNY).")})
    remedy = Remedy(
        organisation=organisation,
        facility=facility,
        # The supplier reads the remedy through this relationship, as long as it exists.
        relationship=Relationship.objects.filter(
            organisation=organisation, facility=facility
        ).first(),
        case=case,
        plan=plan,
        kind=kind,
        description=description.strip(),
        workers_covered=workers_covered,
        amount=amount,
        currency=currency if amount is not None else "",
        paid_by=paid_by,
        opened_by=by,
    )
    remedy.full_clean()
    remedy.save()
    record(
        actor=by,
        organisation=organisation,
        verb="voice.remedy_opened",
        target=remedy,
        changes={
            "kind": kind,
            "workers_covered": workers_covered,
            "paid_by": paid_by,
            # Whole amounts without ".00", as a person writes them.
            "amount": None if amount is None else f"{amount.normalize():f}",
            "currency": remedy.currency,
            "case": case.pk if case else None,
        },
    )
    return remedy


def _check_changeable(remedy: Remedy) -> None:
    if remedy.state == RemedyState.VERIFIED:
        raise ValidationError(_("This remedy is verified; it cannot change any more."))


@transaction.atomic
def milestone_add(
    *, remedy: Remedy, by: User | None, title: str, due_on: date, note: str = ""
) -> RemedyMilestone:
    _check_changeable(remedy)
    milestone = RemedyMilestone(remedy=remedy, title=title.strip(), due_on=due_on, note=note)
    milestone.full_clean()
    milestone.save()
    if remedy.state == RemedyState.DONE:
        # A new step to take: the remedy is not done any more.
        remedy.state = RemedyState.IN_PROGRESS
        remedy.save(update_fields=["state"])
    record(
        actor=by,
        organisation=remedy.organisation,
        verb="voice.remedy_milestone_added",
        target=milestone,
        changes={"title": milestone.title, "due_on": due_on.isoformat()},
    )
    return milestone


@transaction.atomic
def milestone_done(
    *, milestone: RemedyMilestone, by: User | None, note: str = ""
) -> RemedyMilestone:
    """Mark a milestone done. The remedy is in progress from the first, done with the last."""
    remedy = milestone.remedy
    _check_changeable(remedy)
    if milestone.done_at is not None:
        raise ValidationError(_("This milestone is already done."))
    milestone.done_at = timezone.now()
    if note.strip():
        milestone.note = note.strip()
    milestone.save(update_fields=["done_at", "note"])
    open_left = remedy.milestones.filter(done_at__isnull=True).exists()
    remedy.state = RemedyState.IN_PROGRESS if open_left else RemedyState.DONE
    remedy.save(update_fields=["state"])
    record(
        actor=by,
        organisation=remedy.organisation,
        verb="voice.remedy_milestone_done",
        target=milestone,
        changes={"title": milestone.title},
    )
    return milestone


@transaction.atomic
def remedy_verify(
    *,
    remedy: Remedy,
    by: User | None,
    verified_by: str,
    method: str,
    verified_on: date,
    note: str = "",
) -> Remedy:
    """Record who checked that the remedy reached the workers, and how. Every milestone must be
    done first."""
    _check_changeable(remedy)
    errors: dict[str, str] = {}
    if remedy.milestones.filter(done_at__isnull=True).exists():
        errors["__all__"] = _("Mark every milestone done before the remedy is verified.")
    if not verified_by.strip():
        errors["verified_by"] = _("Say who verified it.")
    if not method.strip():
        errors["method"] = _("Say how it was verified.")
    if verified_on > timezone.localdate():
        errors["verified_on"] = _("The day of verification cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    remedy.verified_by = verified_by.strip()
    remedy.verification_method = method.strip()
    remedy.verified_on = verified_on
    remedy.verification_note = note.strip()
    remedy.state = RemedyState.VERIFIED
    remedy.full_clean()
    remedy.save()
    record(
        actor=by,
        organisation=remedy.organisation,
        verb="voice.remedy_verified",
        target=remedy,
        changes={
            "verified_by": remedy.verified_by,
            "verification_method": remedy.verification_method,
            "verified_on": verified_on.isoformat(),
        },
    )
    return remedy
