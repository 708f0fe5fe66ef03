import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stonebridge.accounts.models import Organisation
from stonebridge.supplychain import importing
from stonebridge.supplychain.models import Facility, ImportJob


class Command(BaseCommand):
    help = (
        "Import a list of facilities, links or sourcing for an organisation, all or nothing. "
        "Errors are printed by row and column and nothing is changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="a .csv or .xlsx file")
        parser.add_argument("--organisation", required=True, help="the organisation's slug")
        parser.add_argument(
            "--kind", choices=ImportJob.Kind.values, default=ImportJob.Kind.FACILITIES
        )
        parser.add_argument(
            "--format", choices=ImportJob.Format.values, default=ImportJob.Format.STONEBRIDGE
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and say what would happen"
        )
        parser.add_argument(
            "--report",
            choices=["json"],
            help="with --dry-run and a facilities list: one JSON object per row saying what "
            "would happen to it (new, match or uncertain) and its candidates with their scores",
        )
        parser.add_argument(
            "--accept-new",
            action="store_true",
            help="take rows that only resemble a registry facility as new facilities",
        )

    def handle(self, *args: object, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation has the slug {options['organisation']!r}.")
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        kind, fmt = options["kind"], options["format"]
        if options["report"]:
            if not options["dry_run"] or kind != ImportJob.Kind.FACILITIES:
                raise CommandError("--report json needs --dry-run and a list of facilities.")
            self._report(organisation, data, path.name, fmt)
            return
        if options["dry_run"]:
            self._dry_run(organisation, data, path.name, kind, fmt, options["accept_new"])
            return
        job = importing.import_start(
            organisation=organisation, by=None, data=data, filename=path.name, kind=kind, fmt=fmt
        )
        if job.status == ImportJob.Status.NEEDS_REVIEW:
            self._print_review(job.review)
            if not options["accept_new"]:
                raise CommandError(
                    f"{len(job.review)} rows may be facilities already in the registry. Decide "
                    f"on the import page (import {job.pk}), or run again with --accept-new."
                )
            job = self._accept_new(job)
        if job.status == ImportJob.Status.QUEUED:
            job = importing.import_run(job_id=job.pk)
        if job.status != ImportJob.Status.DONE:
            self._print_errors(job.errors)
            raise CommandError(f"Import {job.pk}: {job.get_status_display()}.")
        result = job.result
        self.stdout.write(
            f"Imported {job.total_rows} rows: {result['created']} new, {result['matched']} "
            f"already known, of which {result['updated']} completed."
        )

    def _dry_run(
        self,
        organisation: Organisation,
        data: bytes,
        filename: str,
        kind: str,
        fmt: str,
        accept_new: bool,
    ) -> None:
        checked = importing.check(organisation, data, filename, kind, fmt)
        if checked.errors:
            self._print_errors(checked.errors)
            raise CommandError(f"{len(checked.errors)} errors; nothing would be imported.")
        review = checked.matching.review
        matched = len(checked.matching.matched)
        self._print_review(review)
        new = len(checked.rows) - matched - (0 if accept_new else len(review))
        self.stdout.write(
            f"{checked.total} rows would be imported: {new} new, {matched} already known, "
            f"{len(review)} uncertain. Nothing was written (--dry-run)."
        )
        if review and not accept_new:
            raise CommandError(
                f"{len(review)} rows may be facilities already in the registry; "
                "run with --accept-new to take them as new ones."
            )

    def _report(self, organisation: Organisation, data: bytes, filename: str, fmt: str) -> None:
        checked = importing.check(organisation, data, filename, ImportJob.Kind.FACILITIES, fmt)
        if checked.errors:
            self._print_errors(checked.errors)
            raise CommandError(f"{len(checked.errors)} errors; nothing would be imported.")
        matching = checked.matching
        uncertain = {entry["row"] for entry in matching.review}
        for row in checked.rows:
            facility_id = matching.matched.get(row.number)
            if facility_id is not None:
                action = "match"
            elif row.number in uncertain:
                action = "uncertain"
            else:
                action = "new"
            line = {
                "row": row.number,
                "ref": row.values.get("ref", ""),
                "action": action,
                "facility_id": facility_id,
                "candidates": [
                    {"id": pk, "score": score}
                    for pk, score in matching.candidates.get(row.number, [])
                ],
            }
            self.stdout.write(json.dumps(line, ensure_ascii=False))

    def _accept_new(self, job: ImportJob) -> ImportJob:
        # Deciding every candidate of the first row under review settles it; the last one queues
        # the import.
        while job.status == ImportJob.Status.NEEDS_REVIEW:
            entry = job.review[0]
            for candidate in entry["candidates"]:
                job = importing.import_decide(
                    job=job,
                    by=None,
                    row_key=entry["row_key"],
                    candidate=Facility.objects.get(pk=candidate["id"]),
                    same=False,
                )
        return job

    def _print_errors(self, errors: list[dict[str, Any]]) -> None:
        for error in errors:
            self.stderr.write(f"row {error['row']}, column {error['column']}: {error['message']}")

    def _print_review(self, review: list[dict[str, Any]]) -> None:
        for entry in review:
            self.stdout.write(
                f"row {entry['row']}: {entry['name']} ({entry['city'] or '?'}) may be"
            )
            for candidate in entry["candidates"]:
                self.stdout.write(
                    f"    #{candidate['id']} {candidate['name']} ({candidate['city'] or '?'}), "
                    f"similarity {candidate['score']}"
                )
