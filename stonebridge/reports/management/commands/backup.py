import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from stonebridge.reports import backups


class Command(BaseCommand):
    help = (
        "Write a backup of the whole database and the uploaded files (MEDIA_ROOT) to one file, "
        "encrypted with BACKUP_KEY (required when DEBUG is off)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o", "--output", required=True, type=Path, help="the backup file to write (new)"
        )

    def handle(self, *args: object, **options: object) -> None:
        output: Path = options["output"]  # type: ignore[assignment]
        started = time.monotonic()
        try:
            manifest = backups.write(output)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        seconds = time.monotonic() - started
        encrypted = (
            "encrypted with BACKUP_KEY" if settings.BACKUP_KEY else "NOT encrypted (no BACKUP_KEY)"
        )
        self.stdout.write(
            f"Backup written to {output}: {manifest.engine}, {len(manifest.tables)} tables, "
            f"{manifest.rows()} rows, {manifest.files()}, {encrypted}; "
            f"{output.stat().st_size / 1_000_000:.1f} MB in {seconds:.1f} s."
        )
