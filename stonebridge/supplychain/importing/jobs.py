"""Import jobs: an upload checked, kept for review of uncertain matches, and run all or nothing."""

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stonebridge.accounts.models import Organisation, User
from stonebridge.audit.services import record

from .. import services
from ..codes import province_warning
from ..models import Facility, ImportJob, MatchDecision
from ..tabular import TableError, read_table
from ..tasks import run_import
from .columns import FACILITIES, LINKS, SPECS, STONEBRIDGE
from .matching import Matching, match
from .progress import Progress
from .validation import Row, validate
from .values import Error, error_at
from .writing import prepare_facilities, prepare_links, prepare_sourcing

logger = logging.getLogger(__name__)

# A file with thousands of broken rows would make the job's record and the page unwieldy.
MAX_STORED_ERRORS = 1000


@dataclass
class Checked:
    """An upload read, validated and matched: what an import would do."""

    total: int
    rows: list[Row]
    errors: list[Error]
    matching: Matching
    notices: list[str] = field(default_factory=list)


def check(
    organisation: Organisation,
    data: bytes,
    filename: str,
    kind: str,
    fmt: str,
    progress: Progress | None = None,
) -> Checked:
    """Read, validate and match an upload without writing anything. The progress counts the
    rows validated, or for facilities the rows matched (the slow part)."""
    progress = progress or Progress()
    try:
        table = read_table(data, filename)
    except TableError as error:
        return Checked(0, [], [error_at(0, "", error.message)], Matching())
    progress.restart(total=len(table.rows))
    facilities = kind == FACILITIES
    rows, errors = validate(organisation, table, kind, fmt, None if facilities else progress)
    matching = match(organisation, rows, progress) if facilities and not errors else Matching()
    notices = []
    spec = SPECS.get((kind, fmt))
    if spec and (ignored := spec.ignored(table.headers)):
        notices.append(
            _("These columns are not part of the list format and were left out: %(columns)s.")
            % {"columns": ", ".join(ignored)}
        )
    if facilities:
        notices += _province_notices(rows)
    return Checked(len(table.rows), rows, errors + matching.errors, matching, notices)


MAX_PROVINCE_NOTICES = 20  # StoneBridge default: enough to see a pattern, not a second list


def _province_notices(rows: list[Row]) -> list[str]:
    """Codes issued in another province than the row states: a notice, not an error, since a
    company that moves keeps its code."""
    found = [
        _("Row %(row)d: %(warning)s") % {"row": row.number, "warning": warning}
        for row in rows
        if (
            warning := province_warning(
                row.values.get("credit_code"),
                row.values.get("province", ""),
                row.values.get("country", "CN"),
            )
        )
    ]
    if len(found) > MAX_PROVINCE_NOTICES:
        more = len(found) - MAX_PROVINCE_NOTICES
        found = [
            *found[:MAX_PROVINCE_NOTICES],
            _("…and %(count)d more rows like these.") % {"count": more},
        ]
    return found


def _stored(errors: list[Error]) -> list[Error]:
    if len(errors) <= MAX_STORED_ERRORS:
        return errors
    more = len(errors) - MAX_STORED_ERRORS
    return [
        *errors[:MAX_STORED_ERRORS],
        error_at(0, "", _("… and %(count)d more errors.") % {"count": more}),
    ]


def import_start(
    *,
    organisation: Organisation,
    by: User | None,
    data: bytes,
    filename: str,
    kind: str,
    fmt: str = STONEBRIDGE,
) -> ImportJob:
    """Keep an upload and queue it: the background task checks it, then imports it, keeps it for
    review of uncertain matches, or fails it with its errors (import_run)."""
    if kind not in ImportJob.Kind.values or fmt not in ImportJob.Format.values:
        raise ValueError(f"unknown kind or format of import: {kind!r}, {fmt!r}")
    job = ImportJob(
        organisation=organisation,
        created_by=by,
        kind=kind,
        format=fmt,
        filename=filename[-200:],
        data=data,
        status=ImportJob.Status.QUEUED,
    )
    with transaction.atomic():
        job.save()
        record(
            actor=by,
            organisation=organisation,
            verb="import.started",
            target=job,
            changes={"filename": job.filename, "kind": kind, "format": fmt, "bytes": len(data)},
        )
        run_import.enqueue(job_id=job.pk)
    job.refresh_from_db()  # an in-process task backend has run the import already
    return job


@transaction.atomic
def import_decide(
    *, job: ImportJob, by: User | None, row_key: str, candidate: Facility, same: bool
) -> ImportJob:
    """Record whether an uncertain row is that registry facility. Once every row under review is
    settled, the import is queued."""
    job = ImportJob.objects.select_for_update().select_related("organisation").get(pk=job.pk)
    if job.status != ImportJob.Status.NEEDS_REVIEW:
        raise ValidationError(_("This import is not waiting for matches to be confirmed."))
    entries = [e for e in job.review if e["row_key"] == row_key]
    if not any(c["id"] == candidate.pk for e in entries for c in e["candidates"]):
        raise ValidationError(_("This facility is not one of the row's possible matches."))
    MatchDecision.objects.update_or_create(
        organisation=job.organisation,
        row_key=row_key,
        candidate=candidate,
        defaults={"same": same, "decided_by": by, "decided_at": timezone.now()},
    )
    decided = dict(
        MatchDecision.objects.filter(organisation=job.organisation, row_key=row_key).values_list(
            "candidate_id", "same"
        )
    )

    def settled(entry: dict[str, Any]) -> bool:
        ids = [c["id"] for c in entry["candidates"]]
        return any(decided.get(pk) for pk in ids) or all(pk in decided for pk in ids)

    job.review = [e for e in job.review if not (e["row_key"] == row_key and settled(e))]
    if not job.review:
        job.status = ImportJob.Status.QUEUED
    job.save(update_fields=["review", "status"])
    record(
        actor=by,
        organisation=job.organisation,
        verb="import.match_decided",
        target=job,
        changes={"row_key": row_key, "candidate": candidate.pk, "same": same},
    )
    if job.status == ImportJob.Status.QUEUED:
        run_import.enqueue(job_id=job.pk)
        job.refresh_from_db()  # an in-process task backend has run the import already
    return job


def purge_uploads() -> int:
    """Delete the uploaded files of imports that finished or failed more than
    IMPORT_UPLOAD_KEEP_HOURS ago (at once by default); the job and its outcome stay."""
    cutoff = timezone.now() - timedelta(hours=settings.IMPORT_UPLOAD_KEEP_HOURS)
    return (
        ImportJob.objects.filter(
            status__in=[ImportJob.Status.DONE, ImportJob.Status.FAILED], finished_at__lte=cutoff
        )
        .exclude(data=None)
        .update(data=None)
    )


def _end(job: ImportJob, verb: str, changes: dict[str, Any]) -> ImportJob:
    job.finished_at = timezone.now() if job.status != ImportJob.Status.NEEDS_REVIEW else None
    with transaction.atomic():
        job.save(  # not the upload
            update_fields=["status", "errors", "review", "notices", "total_rows", "finished_at"]
        )
        record(
            actor=job.created_by,
            organisation=job.organisation,
            verb=verb,
            target=job,
            changes=changes,
        )
    purge_uploads()
    return job


def _fail(job: ImportJob, errors: list[Error]) -> ImportJob:
    job.status = ImportJob.Status.FAILED
    job.errors = _stored(errors)
    return _end(job, "import.failed", {"errors": len(errors)})


def import_run(*, job_id: int, resume: bool = False) -> ImportJob:
    """Import a queued job: check the file (again, after a review: the registry and the buyer's
    links may have changed since), then write it all in one transaction, or nothing.

    `resume`: the job's task was queued again after its worker was killed, leaving the job
    checking or importing with nothing written; it starts over. A job that finished or failed
    is left as it is, so running the task twice never imports twice."""
    claimable = [ImportJob.Status.QUEUED]
    if resume:
        claimable += [ImportJob.Status.CHECKING, ImportJob.Status.RUNNING]
    # Claimed with one UPDATE, so a worker and the command line never both run it.
    claimed = ImportJob.objects.filter(pk=job_id, status__in=claimable).update(
        status=ImportJob.Status.CHECKING, processed_rows=0
    )
    job = ImportJob.objects.select_related("organisation", "created_by").get(pk=job_id)
    if not claimed:
        return job
    organisation = job.organisation
    progress = Progress(job.pk)
    try:
        data = bytes(job.data or b"")
        checked = check(organisation, data, job.filename, job.kind, job.format, progress)
        job.total_rows, job.notices = checked.total, checked.notices
        if checked.errors:
            return _fail(job, checked.errors)
        if checked.matching.review:
            job.status = ImportJob.Status.NEEDS_REVIEW
            job.review = checked.matching.review
            return _end(job, "import.needs_review", {"uncertain": len(job.review)})
        job.status = ImportJob.Status.RUNNING
        job.save(update_fields=["status", "total_rows", "notices"])
        progress.restart()
        # The slow part (pinyin for search, building objects) before the transaction, so the
        # progress is seen and the database is locked only for the writing itself.
        if job.kind == FACILITIES:
            counts, write = prepare_facilities(
                organisation, job.created_by, checked.rows, checked.matching, progress, job.pk
            )
        elif job.kind == LINKS:
            counts, write = prepare_links(organisation, checked.rows, progress, job.pk)
        else:
            counts, write = prepare_sourcing(organisation, checked.rows, progress, job.pk)
        with transaction.atomic():
            write()
            services.chain_rebuild(organisation=organisation)
            job.status = ImportJob.Status.DONE
            job.result = counts
            job.processed_rows = job.total_rows
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "result", "processed_rows", "finished_at"])
            record(
                actor=job.created_by,
                organisation=organisation,
                verb="import.completed",
                target=job,
                changes=counts,
            )
        purge_uploads()
    except ValidationError as error:
        return _fail(job, [error_at(0, "", message) for message in error.messages])
    except IntegrityError:
        logger.warning("Import %s conflicted with a concurrent change", job.pk, exc_info=True)
        return _fail(
            job,
            [
                error_at(
                    0,
                    "",
                    _(
                        "Someone changed the same facilities while this file was imported. "
                        "Nothing was imported; upload the file again."
                    ),
                )
            ],
        )
    except Exception:
        # Not left "running" for ever; the error itself goes to the task's log.
        _fail(job, [error_at(0, "", _("The import failed unexpectedly; nothing was imported."))])
        raise
    return job
