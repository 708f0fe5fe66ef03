import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from stonebridge.reports import backups


class Command(BaseCommand):
    help = (
        "Replace the whole database and the uploaded files (MEDIA_ROOT) with a backup made by "
        "`manage.py backup`. The backup must be of the same database engine, at the same "
        "migration state, with the same FIELD_ENCRYPTION_KEY and AUDIT_KEY; it is checked in "
        "full before anything changes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the backup file")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )

    def handle(self, *args: object, **options: object) -> None:
        path: Path = options["file"]  # type: ignore[assignment]
        started = time.monotonic()
        try:
            checked = backups.check(path)
        except backups.BackupError as error:
            raise CommandError(f"Not restored: {error}") from None
        try:
            manifest = checked.manifest
            self.stdout.write(
                f"Backup of {manifest.created_at}: {manifest.engine}, "
                f"{len(manifest.tables)} tables, {manifest.rows()} rows, {manifest.files()}."
            )
            if options["interactive"]:
                where = connection.settings_dict["NAME"]
                media = (
                    f" and the files in {settings.MEDIA_ROOT}"
                    if settings.MEDIA_ROOT and manifest.media is not None
                    else ""
                )
                answer = input(
                    f"This replaces every record in the database {where}{media} with the "
                    "backup. Type 'yes' to continue: "
                )
                if answer.strip().lower() != "yes":
                    raise CommandError("Restore cancelled; nothing was changed.")
            try:
                backups.restore(checked)
            except backups.BackupError as error:
                raise CommandError(f"Not restored: {error}") from None
        finally:
            checked.cleanup()
        counts = backups.table_counts()
        different = sorted(
            name for name, rows in manifest.tables.items() if counts.get(name) != rows
        )
        if different:
            raise CommandError(
                "Restored, but the row counts differ from the backup's in: " + ", ".join(different)
            )
        self.stdout.write(
            f"Restored {manifest.rows()} rows in {len(manifest.tables)} tables, "
            f"{manifest.files()}, in {time.monotonic() - started:.1f} s."
        )
