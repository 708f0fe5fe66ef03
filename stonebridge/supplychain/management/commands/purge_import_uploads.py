"""Delete uploaded supplier lists kept longer than IMPORT_UPLOAD_KEEP_HOURS."""

from typing import Any

from django.core.management.base import BaseCommand

from stonebridge.supplychain import importing


class Command(BaseCommand):
    help = "Deletes the uploaded files of imports that ended longer ago than the setting allows."

    def handle(self, *args: Any, **options: Any) -> None:
        count = importing.purge_uploads()
        self.stdout.write(f"{count} uploaded file(s) deleted.")
