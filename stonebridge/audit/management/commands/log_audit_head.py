from django.core.management.base import BaseCommand

from stonebridge.audit.services import log_head


class Command(BaseCommand):
    help = (
        "Write the audit chain's head (count:hash) to the application log. Run once a day; "
        "verify_audit_log --head COUNT:HASH later proves nothing up to it was removed."
    )

    def handle(self, *args: object, **options: object) -> None:
        head = log_head()
        self.stdout.write(f"Audit chain head: {head.count}:{head.last_hash}")
