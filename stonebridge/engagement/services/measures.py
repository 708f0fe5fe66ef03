"""Measures of an action: milestones achieved, and outcomes measured against a baseline. A
confirmed measurement goes to risk as evidence of change (DESIGN.md, rule 5)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stonebridge.accounts.models import User
from stonebridge.display import number
from stonebridge.languages import placed
from stonebridge.risk import services as risk
from stonebridge.risk.models import EvidenceKind, SourceType

from ..indicators import BY_CODE, UNIT_LABELS
from ..models import Action, Measure, Reading
from .notices import log, tell


@transaction.atomic
def measure_add(
    *,
    action: Action,
    by: User | None,
    kind: str,
    title: str = "",
    title_zh: str = "",
    indicator: str = "",
    unit: str = "",
    lower_is_better: bool | None = None,
    baseline: Decimal | None = None,
    target: Decimal | None = None,
    due_on: date | None = None,
) -> Measure:
    if not action.is_open:
        raise ValidationError(_("This action is closed."))
    known = BY_CODE.get(indicator)
    title, title_zh = placed(title.strip(), title_zh.strip())
    named = bool(title or title_zh)
    if kind == Measure.Kind.OUTCOME and known is None and not named:
        raise ValidationError({"indicator": _("Choose an indicator or name what is measured.")})
    if kind == Measure.Kind.MILESTONE and not named:
        raise ValidationError({"title": _("Name the milestone, in English, Chinese or both.")})
    measure = Measure(
        action=action,
        kind=kind,
        title=title or (str(known.label) if known else ""),
        title_zh=title_zh,
        indicator=indicator,
        unit=unit or (known.unit if known else ""),
        # A known indicator knows which way is better; one of the buyer's own says so itself.
        lower_is_better=known.lower_is_better if known else bool(lower_is_better),
        baseline=baseline,
        target=target,
        due_on=due_on,
    )
    measure.full_clean()
    measure.save()
    log(
        by,
        action.plan.relationship,
        "measure_added",
        measure,
        kind=kind,
        baseline=baseline,
        target=target,
    )
    return measure


@transaction.atomic
def measure_set_targets(
    *, measure: Measure, by: User | None, baseline: Decimal | None, target: Decimal | None
) -> Measure:
    """Baseline (before) and target of an outcome."""
    measure.baseline = baseline
    measure.target = target
    measure.save(update_fields=["baseline", "target"])
    log(
        by,
        measure.action.plan.relationship,
        "measure_targets_set",
        measure,
        baseline=baseline,
        target=target,
    )
    return measure


@transaction.atomic
def milestone_achieve(*, measure: Measure, by: User | None, achieved_on: date) -> Measure:
    if measure.kind != Measure.Kind.MILESTONE:
        raise ValidationError(_("Only a milestone is achieved; an outcome is measured."))
    if not measure.action.is_open:
        raise ValidationError(_("This action is closed."))
    if achieved_on > timezone.localdate():
        raise ValidationError({"achieved_on": _("The date cannot be in the future.")})
    measure.achieved_on = achieved_on
    measure.save(update_fields=["achieved_on"])
    log(
        by, measure.action.plan.relationship, "milestone_achieved", measure, achieved_on=achieved_on
    )
    return measure


@transaction.atomic
def reading_record(
    *,
    measure: Measure,
    by: User,
    by_supplier: bool,
    measured_on: date,
    value: Decimal,
    note: str = "",
    note_zh: str = "",
) -> Reading:
    """A measured value. The buyer's own counts at once; a supplier's waits for confirmation.
    The buyer's note is sorted by its script like every text it writes for the supplier; the
    supplier's stays as written."""
    if measure.kind != Measure.Kind.OUTCOME:
        raise ValidationError(_("A milestone is achieved, not measured."))
    if not measure.action.is_open:
        raise ValidationError(_("This action is closed."))
    if measured_on > timezone.localdate():
        raise ValidationError({"measured_on": _("The date cannot be in the future.")})
    note, note_zh = (note.strip(), "") if by_supplier else placed(note.strip(), note_zh.strip())
    reading = Reading.objects.create(
        measure=measure,
        measured_on=measured_on,
        value=value,
        note=note,
        note_zh=note_zh,
        reported_by=by,
        by_supplier=by_supplier,
    )
    action = measure.action
    relationship = action.plan.relationship
    log(
        by,
        relationship,
        "reading_recorded",
        reading,
        value=value,
        measured_on=measured_on,
        by_supplier=by_supplier,
    )
    if by_supplier:
        tell(
            relationship,
            supplier_side=False,
            kind="reading_reported",
            message=gettext_lazy("%(who)s reported a new measurement of “%(measure)s”: %(value)s."),
            params={"who": str(by), "measure": measure.title, "value": value},
            view="action",
            owner=action.buyer_owner,
            action_id=action.pk,
        )
    else:
        _confirm(reading, by)
    return reading


def _confirm(reading: Reading, by: User) -> None:
    reading.confirmed_at = timezone.now()
    reading.save(update_fields=["confirmed_at"])
    measure = reading.measure
    if measure.baseline is None:
        return  # nothing to compare with: no evidence of change either way
    action = measure.action
    improved = measure.improved(reading.value)
    risk.evidence_record(
        organisation=action.plan.relationship.organisation,
        by=by,
        facility=action.plan.facility,
        issue=BY_CODE[measure.indicator].issue if measure.indicator in BY_CODE else action.issue_id,
        kind=EvidenceKind.OUTCOME,
        observed_on=reading.measured_on,
        source_type=SourceType.WORKER_INTERVIEW
        if measure.source == Measure.Source.SURVEY
        else SourceType.DOCUMENT,
        improved=improved,
        summary=(
            _("%(measure)s: %(baseline)s → %(value)s %(unit)s")
            % {
                "measure": measure.title,
                "baseline": number(measure.baseline),
                "value": number(reading.value),
                "unit": UNIT_LABELS.get(measure.unit, measure.unit),
            }
        ).strip(),
        origin=f"engagement.reading:{reading.pk}",
    )


@transaction.atomic
def reading_confirm(*, reading: Reading, by: User) -> Reading:
    reading = Reading.objects.select_for_update().get(pk=reading.pk)
    if reading.confirmed_at is not None:
        raise ValidationError(_("This measurement was already confirmed."))
    _confirm(reading, by)
    log(
        by,
        reading.measure.action.plan.relationship,
        "reading_confirmed",
        reading,
        value=reading.value,
    )
    return reading
