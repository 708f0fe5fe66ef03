"""Every change to wage-and-hours records checks.

A check is submitted with its files (kept only until it has run), runs in the task worker
through the pure engine in `assessments/records/`, and its result becomes evidence for the
facility's hours and wages, youth and contracts issues through `risk.services`, one entry per
issue with the counts in its summary. Running a check again withdraws the evidence its last run
gave.
"""

import hashlib
import hmac
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from stonebridge.accounts.models import User
from stonebridge.audit.services import record
from stonebridge.engagement.models import Relationship
from stonebridge.risk.models import Evidence
from stonebridge.risk.services import evidence_record, evidence_retract

from ..models import HoursApproval, RecordsCheck, RecordsFile, RecordsIndication, RecordsViolation
from ..records_text import ISSUES, issue_of, rule_label
from ..tasks import run_records_check
from .uploads import Upload, check_document, check_records_file

# StoneBridge default: a check covers at most a year of records, as the benchmark does.
MAX_PERIOD_DAYS = 366


@dataclass(frozen=True)
class Checked:
    """What the engine found, with workers already pseudonymised."""

    violations: list[RecordsViolation]
    indications: list[RecordsIndication]
    workers: int
    rows: int
    months: list[str]


def worker_hash(facility_id: int, reference: str) -> str:
    """The keyed hash that stands for a worker's own reference. The facility is part of the
    message, so the same number at two factories does not link two people."""
    message = f"{facility_id}:{reference.strip()}".encode()
    return hmac.new(settings.WORKER_REF_KEY.encode(), message, hashlib.sha256).hexdigest()


def _log(by: User | None, check: RecordsCheck, verb: str, **changes: Any) -> None:
    """In the buyer's log, whose evidence it becomes; a check the supplier ran on its own
    records also in the supplier's log, so that it sees what its people did."""
    organisations = [check.relationship.organisation]
    if check.by_supplier and check.relationship.supplier is not None:
        organisations.append(check.relationship.supplier)
    for organisation in organisations:
        record(
            actor=by,
            organisation=organisation,
            verb=f"assessments.{verb}",
            target=check,
            changes=changes,
        )


def _clean_period(period_start: date, period_end: date, minimum_wage: Decimal) -> None:
    errors: dict[str, str] = {}
    if period_end < period_start:
        errors["period_end"] = _("The last day comes before the first.")
    elif (period_end - period_start).days >= MAX_PERIOD_DAYS:
        errors["period_end"] = _("Check at most one year at a time.")
    if period_end > timezone.localdate():
        errors["period_end"] = _("The date cannot be in the future.")
    if minimum_wage <= 0:
        errors["minimum_wage"] = _("Enter the monthly minimum wage of the facility's area.")
    if errors:
        raise ValidationError(errors)


def approval_covering(
    relationship: Relationship, start: date, end: date, *, by_supplier: bool
) -> HoursApproval | None:
    """The facility's approval of the comprehensive working-hours system valid for the whole
    period, if one is on record; without it the standard rules apply. A buyer's check counts only
    an approval the buyer put on record: one the supplier entered itself loosens only the
    supplier's own checks."""
    approvals = HoursApproval.objects.filter(
        relationship__facility_id=relationship.facility_id,
        relationship__organisation_id=relationship.organisation_id,
        valid_from__lte=start,
        valid_until__gte=end,
    )
    if not by_supplier:
        approvals = approvals.filter(by_supplier=False)
    return approvals.order_by("-valid_until").first()


@transaction.atomic
def hours_approval_record(
    *,
    relationship: Relationship,
    by: User,
    posts: str,
    period: str,
    valid_from: date,
    valid_until: date,
    reference: str,
    document: Upload,
) -> HoursApproval:
    """Put a labour bureau's approval of the comprehensive working-hours system on record,
    with the approval document itself."""
    if valid_until < valid_from:
        raise ValidationError({"valid_until": _("The approval ends before it starts.")})
    if not posts.strip():
        raise ValidationError({"posts": _("Name the posts the approval covers.")})
    name, content_type, content = check_document(document)
    supplier = relationship.supplier
    by_supplier = supplier is not None and by.memberships.filter(organisation=supplier).exists()
    approval = HoursApproval.objects.create(
        relationship=relationship,
        posts=posts.strip(),
        period=period,
        valid_from=valid_from,
        valid_until=valid_until,
        reference=reference.strip(),
        document_name=name,
        document_type=content_type,
        document=content,
        recorded_by=by,
        by_supplier=by_supplier,
    )
    # In the buyer's log, and in the supplier's when its own people put the approval on record.
    organisations = [relationship.organisation]
    if by_supplier and supplier is not None:
        organisations.append(supplier)
    for organisation in organisations:
        record(
            actor=by,
            organisation=organisation,
            verb="assessments.hours_approval_recorded",
            target=approval,
            changes={
                "facility": relationship.facility_id,
                "period": period,
                "valid_from": valid_from.isoformat(),
                "valid_until": valid_until.isoformat(),
            },
        )
    return approval


def records_check_submit(
    *,
    relationship: Relationship,
    by: User,
    by_supplier: bool,
    period_start: date,
    period_end: date,
    minimum_wage: Decimal,
    minimum_wage_source: str = "",
    workers: Upload,
    attendance: Upload,
    payroll: Upload,
    run_now: bool = False,
) -> RecordsCheck:
    """Keep the three files and queue the check (`run_now`: check them before returning, as
    the demo does). A file that is not CSV or XLSX, or too large, is refused and nothing is
    kept."""
    _clean_period(period_start, period_end, minimum_wage)
    checked = {
        kind: check_records_file(upload, field=kind)
        for kind, upload in (("workers", workers), ("attendance", attendance), ("payroll", payroll))
    }
    with transaction.atomic():
        check = RecordsCheck.objects.create(
            relationship=relationship,
            by_supplier=by_supplier,
            period_start=period_start,
            period_end=period_end,
            minimum_wage=minimum_wage,
            minimum_wage_source=minimum_wage_source.strip(),
            created_by=by,
        )
        _keep_files(check, checked)
        _log(
            by,
            check,
            "records_check_submitted",
            facility=relationship.facility_id,
            period_start=period_start.isoformat(),
            period_end=period_end.isoformat(),
            by_supplier=by_supplier,
        )
        if not run_now:
            run_records_check.enqueue(check_id=check.pk)
    if run_now:
        return records_check_run(check_id=check.pk)
    check.refresh_from_db()  # an in-process task backend has run the check already
    return check


def records_check_again(
    *, check: RecordsCheck, by: User, workers: Upload, attendance: Upload, payroll: Upload
) -> RecordsCheck:
    """Check the same facility and period again with corrected files (the first ones were
    deleted after their check). The evidence the last run gave is withdrawn when this run
    finishes."""
    if check.running:
        raise ValidationError(_("This check is still running."))
    checked = {
        kind: check_records_file(upload, field=kind)
        for kind, upload in (("workers", workers), ("attendance", attendance), ("payroll", payroll))
    }
    with transaction.atomic():
        check = RecordsCheck.objects.select_for_update().get(pk=check.pk)
        check.status = RecordsCheck.Status.QUEUED
        check.progress = 0
        check.errors = []
        check.created_by = by
        check.finished_at = None
        check.save(update_fields=["status", "progress", "errors", "created_by", "finished_at"])
        _keep_files(check, checked)
        _log(by, check, "records_check_resubmitted")
        run_records_check.enqueue(check_id=check.pk)
    check.refresh_from_db()
    return check


def _keep_files(check: RecordsCheck, checked: dict[str, tuple[str, str, bytes]]) -> None:
    check.uploads.all().delete()
    RecordsFile.objects.bulk_create(
        RecordsFile(
            records_check=check,
            kind=kind,
            name=name,
            content_type=content_type,
            size=len(content),
            content=content,
        )
        for kind, (name, content_type, content) in checked.items()
    )
    check.files = [
        {"kind": kind, "name": name, "size": len(content)}
        for kind, (name, _type, content) in checked.items()
    ]
    check.save(update_fields=["files"])


def _progress(check: RecordsCheck, status: str, percent: int) -> None:
    """Written outside the check's transaction, so the page sees it while the check runs."""
    RecordsCheck.objects.filter(pk=check.pk).update(status=status, progress=percent)


def records_check_run(*, check_id: int) -> RecordsCheck:
    """Read the files, check them against the law, store the pseudonymised result and record
    it as evidence; or, when a file has errors, store the errors and change nothing else.
    Either way the files are deleted."""
    from .. import records_engine as engine  # loaded only where a check runs

    check = RecordsCheck.objects.select_related("relationship").get(pk=check_id)
    if not check.running:
        return check  # a task queued twice: the first run has finished it
    _progress(check, RecordsCheck.Status.RUNNING, 10)
    files = {f.kind: (f.name, bytes(f.content)) for f in check.uploads.all()}
    approval = approval_covering(
        check.relationship, check.period_start, check.period_end, by_supplier=check.by_supplier
    )
    try:
        report = engine.run(
            files,
            period_start=check.period_start,
            period_end=check.period_end,
            minimum_wage=check.minimum_wage,
            comprehensive_hours_approved=approval is not None,
            on_progress=lambda percent: _progress(check, RecordsCheck.Status.RUNNING, percent),
        )
    except engine.RecordsError as error:
        return _fail(check, error.errors)
    result = _pseudonymised(check, report)
    return _finish(check, result, approval)


@transaction.atomic
def _fail(check: RecordsCheck, errors: list[dict[str, Any]]) -> RecordsCheck:
    check = RecordsCheck.objects.select_for_update().get(pk=check.pk)
    check.uploads.all().delete()
    check.status = RecordsCheck.Status.FAILED
    check.progress = 100
    check.errors = errors
    check.finished_at = timezone.now()
    check.save(update_fields=["status", "progress", "errors", "finished_at"])
    _log(None, check, "records_check_failed", errors=len(errors))
    return check


def _pseudonymised(check: RecordsCheck, report: Any) -> Checked:
    facility_id = check.relationship.facility_id
    violations = [
        RecordsViolation(
            records_check=check,
            worker=worker_hash(facility_id, v.worker_ref) if v.worker_ref else "",
            month=v.month,
            rule=v.rule,
            issue=issue_of(v.rule),
            figures=v.figures,
            source=v.source,
        )
        for v in report.violations
    ]
    indications = [
        RecordsIndication(
            records_check=check,
            code=i.code,
            workers=i.workers,
            month=i.month,
            figures=i.figures,
        )
        for i in report.indications
    ]
    return Checked(violations, indications, report.workers, report.rows, report.months)


@transaction.atomic
def _finish(check: RecordsCheck, result: Checked, approval: HoursApproval | None) -> RecordsCheck:
    check = RecordsCheck.objects.select_for_update().select_related("relationship").get(pk=check.pk)
    check.uploads.all().delete()
    check.violations.all().delete()
    check.indications.all().delete()
    RecordsViolation.objects.bulk_create(result.violations, batch_size=1000)
    RecordsIndication.objects.bulk_create(result.indications, batch_size=1000)
    rules = Counter(v.rule for v in result.violations)
    issues = Counter(v.issue for v in result.violations)
    workers = {
        issue: len({v.worker for v in result.violations if v.issue == issue and v.worker})
        for issue in ISSUES
    }
    check.counts = {"rules": dict(rules), "issues": dict(issues), "workers": workers}
    check.workers, check.rows, check.months = result.workers, result.rows, result.months
    check.approval = approval
    check.status = RecordsCheck.Status.DONE
    check.progress = 100
    check.errors = []
    check.finished_at = timezone.now()
    check.save()
    _log(
        None,
        check,
        "records_check_done",
        violations=len(result.violations),
        indications=len(result.indications),
        workers=result.workers,
    )
    _replace_evidence(check)
    return check


def _replace_evidence(check: RecordsCheck) -> None:
    """One entry of evidence per issue that the records show broken, its counts in the summary;
    what an earlier run of the same check gave is withdrawn first."""
    by = check.created_by
    for earlier in Evidence.objects.counting().filter(origin=check.origin):
        evidence_retract(
            evidence=earlier, by=by, reason=_("Replaced by a new run of the same records check.")
        )
    language = getattr(by, "language", "") or settings.LANGUAGE_CODE
    relationship = check.relationship
    for issue in ISSUES:
        count = check.counts["issues"].get(issue, 0)
        if not count:
            continue
        with translation.override(language):
            summary = _summary(check, issue)
        evidence_record(
            organisation=relationship.organisation,
            by=by,
            facility=relationship.facility,
            issue=issue,
            kind="finding",
            observed_on=min(check.period_end, timezone.localdate()),
            source_type="document",
            summary=summary,
            confidence="high",
            people_affected=check.counts["workers"].get(issue) or None,
            disclosed_by_supplier=check.by_supplier,
            origin=check.origin,
        )


def _summary(check: RecordsCheck, issue: str) -> str:
    rules = sorted(
        (rule, count) for rule, count in check.counts["rules"].items() if issue_of(rule) == issue
    )
    listed = pgettext("list separator", ", ").join(
        _("%(rule)s: %(count)d") % {"rule": rule_label(rule), "count": count}
        for rule, count in rules
    )
    return _(
        "Wage-and-hours records check, %(start)s to %(end)s: %(count)d violations for "
        "%(workers)d of %(total)d workers (%(rules)s)."
    ) % {
        "start": formats.date_format(check.period_start, "DATE_FORMAT"),
        "end": formats.date_format(check.period_end, "DATE_FORMAT"),
        "count": check.counts["issues"].get(issue, 0),
        "workers": check.counts["workers"].get(issue, 0),
        "total": check.workers,
        "rules": listed,
    }
