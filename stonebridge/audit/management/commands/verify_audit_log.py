from django.core.management.base import BaseCommand, CommandError, CommandParser

from stonebridge.audit.services import verify


def logged_head(value: str) -> tuple[int, str]:
    count, _, digest = value.partition(":")
    if not count.isdigit() or len(digest) != 64:
        raise ValueError(value)
    return int(count), digest


class Command(BaseCommand):
    help = (
        "Check the audit log's chain (version 1 hashes and version 2 HMACs keyed from "
        "AUDIT_KEY) and report the first broken link."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--head",
            action="append",
            default=[],
            type=logged_head,
            metavar="COUNT:HASH",
            help="a head written to the application log by log_audit_head; repeatable",
        )

    def handle(self, *args: object, **options: object) -> None:
        result = verify(options["head"])  # type: ignore[arg-type]
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
