from django.core.management.base import BaseCommand, CommandError

from stonebridge.audit.services import verify


class Command(BaseCommand):
    help = "Check the hash chain of the audit log and report the first broken link."

    def handle(self, *args: object, **options: object) -> None:
        result = verify()
        if result.ok:
            self.stdout.write(f"Audit log intact: {result.checked} entries checked.")
            return
        where = (
            f"entry {result.broken_entry_id}" if result.broken_entry_id else "the end of the log"
        )
        raise CommandError(
            f"Audit log broken at {where}: {result.reason} "
            f"({result.checked} entries before it are intact)."
        )
