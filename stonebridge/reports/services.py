"""Every change the annual report makes: the covenant's reporting year, the buyer's narrative
per step, and report files written in the background. Each is atomic and writes the audit log.
"""

from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stonebridge.accounts.models import Organisation, User
from stonebridge.audit.services import record

from . import annual
from .models import Edition, ReportingPeriod, ReportJob, ReportNarrative

LANGUAGES = ("en", "zh-hans")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _check_period(start: date, end: date) -> None:
    if end < start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    if (end - start).days > annual.MAX_DAYS:
        raise ValidationError({"period_end": _("A reporting period is at most two years.")})
    if not annual.Period(start, end).fits():
        raise ValidationError({"period_end": _("This date is outside the calendar.")})


def _period_changes(period: annual.Period) -> dict[str, str]:
    # Dates as ISO text: the audit log shows them in the reader's format.
    return {"period_start": period.start.isoformat(), "period_end": period.end.isoformat()}


def _check_buyer(organisation: Organisation) -> None:
    if not organisation.has_chain:
        raise ValidationError(_("Only a buyer writes an annual due-diligence report."))


def reporting_period_set(
    *, covenant: Organisation, by: User | None, starts_month: int, starts_day: int = 1
) -> ReportingPeriod:
    """The covenant's reporting year, for all its members (default: the calendar year)."""
    if covenant.kind != Organisation.Kind.COVENANT:
        raise ValidationError(_("Only a covenant sets a reporting year for its members."))
    if not 1 <= starts_month <= 12 or not 1 <= starts_day <= 28:
        raise ValidationError({"starts_month": _("Choose a month and a day from 1 to 28.")})
    with transaction.atomic():
        setting, created = ReportingPeriod.objects.select_for_update().get_or_create(
            covenant=covenant,
            defaults={"starts_month": starts_month, "starts_day": starts_day},
        )
        old = (setting.starts_month, setting.starts_day)
        setting.starts_month, setting.starts_day = starts_month, starts_day
        setting.changed_at = timezone.now()
        setting.save()
        record(
            actor=by,
            organisation=covenant,
            verb="reports.period_set",
            target=setting,
            changes={
                "starts": [
                    None if created else f"{old[1]}/{old[0]}",
                    f"{starts_day}/{starts_month}",
                ]
            },
        )
    return setting


def narrative_save(
    *, organisation: Organisation, by: User | None, period: annual.Period, step: int, text: str
) -> ReportNarrative:
    """What the buyer writes about one step of one period, kept beside the figures."""
    _check_buyer(organisation)
    _check_period(period.start, period.end)
    if step not in annual.STEPS:
        raise ValidationError({"step": _("Choose a step from 1 to 6.")})
    text = text.strip()
    if len(text) > 5000:
        raise ValidationError({"text": _("Keep it short: at most 5,000 characters.")})
    with transaction.atomic():
        narrative, _created = ReportNarrative.objects.select_for_update().get_or_create(
            organisation=organisation,
            period_start=period.start,
            period_end=period.end,
            step=step,
        )
        narrative.text = text
        narrative.updated_by = by
        narrative.updated_at = timezone.now()
        narrative.save()
        record(
            actor=by,
            organisation=organisation,
            verb="reports.narrative_saved",
            target=narrative,
            changes={"step": step, **_period_changes(period)},
        )
    return narrative


def render(
    organisation: Organisation,
    period: annual.Period,
    *,
    edition: str,
    language: str,
    fmt: str,
    progress: Callable[[int], None] | None = None,
) -> tuple[bytes, str]:
    """The report file and its name; no change to anything (the command line calls it)."""
    if edition not in Edition.values:
        raise ValidationError({"edition": _("Choose the confidential or the public edition.")})
    if language not in LANGUAGES:
        raise ValidationError({"language": _("Choose English or Chinese.")})
    if fmt not in CONTENT_TYPES:
        raise ValidationError({"fmt": _("Choose PDF or XLSX.")})
    _check_buyer(organisation)
    _check_period(period.start, period.end)
    with translation.override(language):
        report = annual.gather(organisation, period, edition, progress=progress)
        if fmt == "pdf":
            from . import pdf

            content = pdf.document(report)
        else:
            from . import xlsx

            content = xlsx.workbook(report)
    name = f"{organisation.slug}-{period.start}-{period.end}-{edition}-{language}.{fmt}"
    return content, name


def report_job_start(
    *,
    organisation: Organisation,
    by: User | None,
    period: annual.Period,
    edition: str,
    language: str,
    fmt: str,
) -> ReportJob:
    """Queue a report for the task worker; its page shows how far it has come."""
    from . import report_tasks

    _check_buyer(organisation)
    _check_period(period.start, period.end)
    if edition not in Edition.values or language not in LANGUAGES or fmt not in CONTENT_TYPES:
        raise ValidationError(_("Choose an edition, a language and a format."))
    with transaction.atomic():
        job = ReportJob.objects.create(
            organisation=organisation,
            created_by=by,
            period_start=period.start,
            period_end=period.end,
            edition=edition,
            language=language,
            fmt=fmt,
            total_steps=len(annual.STEPS) + 1,
        )
        record(
            actor=by,
            organisation=organisation,
            verb="reports.report_requested",
            target=job,
            changes={
                **_period_changes(period),
                "edition": edition,
                "language": language,
                "format": fmt,
            },
        )
        report_tasks.write_report.enqueue(job_id=job.pk)
    job.refresh_from_db()  # an in-process task backend has written it already
    return job


def report_job_run(*, job_id: int) -> ReportJob | None:
    """Write a queued report, counting the sections done so the page can show progress."""
    job = ReportJob.objects.select_related("organisation").filter(pk=job_id).first()
    if job is None or job.status == ReportJob.Status.DONE:
        return job  # safe to run twice
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.RUNNING, done_steps=0)

    def progress(step: int) -> None:
        ReportJob.objects.filter(pk=job.pk).update(done_steps=step)

    try:
        content, name = render(
            job.organisation,
            annual.Period(job.period_start, job.period_end),
            edition=job.edition,
            language=job.language,
            fmt=job.fmt,
            progress=progress,
        )
    except Exception:
        ReportJob.objects.filter(pk=job.pk).update(
            status=ReportJob.Status.FAILED, finished_at=timezone.now()
        )
        raise
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.DONE,
        done_steps=job.total_steps,
        content=content,
        filename=name,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job
