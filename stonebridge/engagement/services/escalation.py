"""Escalation and exit: steps the buyer takes when engagement does not work, the exit plan that
protects the workers, the end of the relationship (remediation continues), and the red flags
remembered as they rise and fall."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stonebridge.accounts.models import User
from stonebridge.display import readable
from stonebridge.languages import placed

from .. import flags
from ..collective import participation
from ..models import (
    Action,
    ActionKind,
    ActionStatus,
    CollectiveEngagement,
    Escalation,
    ExitPlan,
    Relationship,
    Status,
)
from ..queries import red_flags
from .notices import log, tell
from .relationships import check_open

_STATUS_AFTER: dict[str, str] = {
    Escalation.Step.SUSPEND_ORDERS: Status.ORDERS_SUSPENDED,
    Escalation.Step.RESUME_ORDERS: Status.ENGAGED,
}


def _check_collective(
    relationship: Relationship, step: str, collective: CollectiveEngagement
) -> None:
    """The collective action step names a joint action the buyer takes part in, at this
    supplier."""
    if step != Escalation.Step.COLLECTIVE_ACTION:
        raise ValidationError(
            {"collective": _("Only the collective action step names a joint action.")}
        )
    if (
        participation(collective, relationship.organisation) is None
        or collective.facility_id != relationship.facility_id
    ):
        raise ValidationError(
            {"collective": _("Choose a joint action at this supplier that you take part in.")}
        )


@transaction.atomic
def escalation_take(
    *,
    relationship: Relationship,
    by: User | None,
    step: str,
    taken_on: date,
    note: str = "",
    note_zh: str = "",
    collective: CollectiveEngagement | None = None,
) -> Escalation:
    check_open(relationship)
    if collective is not None:
        _check_collective(relationship, step, collective)
    if step == Escalation.Step.EXIT:
        raise ValidationError({"step": _("Exit through an exit plan, which protects the workers.")})
    if step == Escalation.Step.RESUME_ORDERS and relationship.status != Status.ORDERS_SUSPENDED:
        raise ValidationError({"step": _("Orders are not suspended.")})
    note, note_zh = placed(note.strip(), note_zh.strip())
    escalation = Escalation(
        relationship=relationship,
        step=step,
        taken_on=taken_on,
        note=note,
        note_zh=note_zh,
        created_by=by,
        collective=collective,
    )
    escalation.full_clean()
    escalation.save()
    if step in _STATUS_AFTER and relationship.status != Status.EXITING:
        relationship.status = _STATUS_AFTER[step]
        relationship.save(update_fields=["status"])
    log(
        by,
        relationship,
        "escalation_taken",
        escalation,
        step=step,
        status=relationship.status,
        **({"collective": collective.pk} if collective is not None else {}),
    )
    if step in _STATUS_AFTER:
        tell(
            relationship,
            supplier_side=True,
            kind=(
                "orders_suspended" if step == Escalation.Step.SUSPEND_ORDERS else "orders_resumed"
            ),
            message=(
                gettext_lazy("%(buyer)s has suspended new orders: %(note)s")
                if step == Escalation.Step.SUSPEND_ORDERS
                else gettext_lazy("%(buyer)s places orders again: %(note)s")
            ),
            params={
                "buyer": relationship.organisation.name,
                "note": escalation.note_zh or escalation.note or "—",
            },
            view="home",
        )
    return escalation


@transaction.atomic
def exit_plan_create(
    *,
    relationship: Relationship,
    by: User | None,
    decided_on: date,
    notice_days: int,
    workers_affected: int,
    reason: str = "",
    reason_zh: str = "",
    wind_down: str = "",
    wind_down_zh: str = "",
    workers_note: str = "",
    workers_note_zh: str = "",
    red_flags: Iterable[str] = (),
    last_order_on: date | None = None,
) -> ExitPlan:
    check_open(relationship)
    if hasattr(relationship, "exit_plan"):
        raise ValidationError(_("This relationship already has an exit plan."))
    reason, reason_zh = placed(reason.strip(), reason_zh.strip())
    wind_down, wind_down_zh = placed(wind_down.strip(), wind_down_zh.strip())
    workers_note, workers_note_zh = placed(workers_note.strip(), workers_note_zh.strip())
    missing = {
        field: _("Write it in English, Chinese or both.")
        for field, given in (
            ("reason", reason or reason_zh),
            ("wind_down", wind_down or wind_down_zh),
        )
        if not given
    }
    if missing:
        raise ValidationError(missing)
    plan = ExitPlan(
        relationship=relationship,
        reason=reason,
        reason_zh=reason_zh,
        red_flags=",".join(red_flags),
        decided_on=decided_on,
        notice_days=notice_days,
        workers_affected=workers_affected,
        workers_note=workers_note,
        workers_note_zh=workers_note_zh,
        wind_down=wind_down,
        wind_down_zh=wind_down_zh,
        last_order_on=last_order_on,
        created_by=by,
    )
    plan.full_clean()
    plan.save()
    Escalation.objects.create(
        relationship=relationship,
        step=Escalation.Step.EXIT,
        taken_on=decided_on,
        note=plan.reason,
        note_zh=plan.reason_zh,
        created_by=by,
    )
    relationship.status = Status.EXITING
    relationship.save(update_fields=["status"])
    tell(
        relationship,
        supplier_side=True,
        kind="exit_planned",
        message=gettext_lazy(
            "%(buyer)s will end the business relationship on %(date)s. Remediation for workers "
            "continues until it is done."
        ),
        params={"buyer": relationship.organisation.name, "date": plan.ends_on},
        view="home",
    )
    log(
        by,
        relationship,
        "exit_planned",
        plan,
        notice_days=notice_days,
        workers_affected=workers_affected,
        red_flags=plan.red_flags,
    )
    return plan


@transaction.atomic
def exit_complete(*, exit_plan: ExitPlan, by: User | None) -> ExitPlan:
    """The relationship ends. Corrective and preventive actions stop; remediation for harm done
    stays open, on the buyer's dashboard, until it is fulfilled."""
    if exit_plan.completed_at is not None:
        raise ValidationError(_("This exit was already completed."))
    if timezone.localdate() < exit_plan.ends_on:
        raise ValidationError(
            _("The notice period runs until %(date)s.") % {"date": readable(exit_plan.ends_on)}
        )
    relationship = exit_plan.relationship
    stopped = (
        Action.objects.filter(plan__relationship=relationship)
        .still_open()
        .exclude(kind=ActionKind.REMEDIATION)
        .update(status=ActionStatus.CANCELLED)
    )
    exit_plan.completed_at = timezone.now()
    exit_plan.save(update_fields=["completed_at"])
    relationship.status = Status.EXITED
    relationship.save(update_fields=["status"])
    # Red flags are no longer evaluated for an ended relationship: none stays standing.
    relationship.flags.filter(cleared_at__isnull=True).update(cleared_at=exit_plan.completed_at)
    remaining = Action.objects.filter(plan__relationship=relationship).still_open().count()
    log(
        by,
        relationship,
        "exit_completed",
        exit_plan,
        actions_stopped=stopped,
        remediation_open=remaining,
    )
    return exit_plan


@transaction.atomic
def flags_refresh(*, relationship: Relationship, today: date) -> list[str]:
    """Evaluate the red flags and remember which are raised. A flag that rises is logged and
    told to the buyer once; one that falls is logged as cleared. Returns the codes that rose."""
    raised = {flag.code: flag for flag in red_flags(relationship, today) if flag.raised}
    standing = {state.code: state for state in relationship.flags.filter(cleared_at__isnull=True)}
    rose = [code for code in raised if code not in standing]
    fell = [code for code in standing if code not in raised]
    now = timezone.now()
    for code in fell:
        standing[code].cleared_at = now
        standing[code].save(update_fields=["cleared_at"])
    for code in rose:
        relationship.flags.create(code=code, raised_at=now)
    if rose or fell:
        log(None, relationship, "red_flags_changed", relationship, raised=rose, cleared=fell)
    for code in rose:
        tell(
            relationship,
            supplier_side=False,
            kind="red_flag",
            message=gettext_lazy("Red flag for %(supplier)s: %(flag)s"),
            params={"supplier": str(relationship.facility), "flag": flags.TITLES[code]},
            view="relationship",
            key=f"flag:{relationship.pk}:{code}:{now.date().isoformat()}",
            relationship_id=relationship.pk,
        )
    return rose
