"""`manage.py requeue_abandoned_tasks`: queue again the tasks a killed task worker left running."""

from argparse import ArgumentParser
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from stonebridge.background.recovery import requeue_abandoned_tasks


class Command(BaseCommand):
    help = (
        "Queue again the tasks left running by task workers that have ended on this machine, "
        "by the workers named, or running longer than the minutes given."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--worker-id",
            action="append",
            default=[],
            dest="worker_ids",
            help="A worker known to be gone (may be given several times)",
        )
        parser.add_argument(
            "--running-longer-than",
            type=int,
            metavar="MINUTES",
            help="Also any task running longer than this, whichever worker has it",
        )

    def handle(self, *args: Any, worker_ids: list[str], **options: Any) -> None:
        minutes = options["running_longer_than"]
        started_before = timezone.now() - timedelta(minutes=minutes) if minutes else None
        requeued = requeue_abandoned_tasks(worker_ids=worker_ids, started_before=started_before)
        for task_result in requeued:
            self.stdout.write(f"queued again: {task_result.pk} {task_result.task_path}")
        self.stdout.write(f"{len(requeued)} task(s) queued again")
