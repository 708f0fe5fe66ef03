"""`manage.py db_worker`: django-tasks-db's worker, which first queues again the tasks a killed
worker left running (stonebridge/background/recovery.py)."""

from argparse import ArgumentParser
from typing import Any

from django_tasks_db.management.commands import db_worker

from stonebridge.background.recovery import requeue_abandoned_tasks, worker_id_for_this_process


class Command(db_worker.Command):
    help = "Run a task worker, after queueing again the tasks a killed worker left running"

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        # Generated per process, naming the machine and the process, so a later worker can tell
        # this one has ended.
        parser.set_defaults(worker_id=None)

    def handle(self, *args: Any, **options: Any) -> None:
        options["worker_id"] = options["worker_id"] or worker_id_for_this_process()
        requeued = requeue_abandoned_tasks(worker_ids=[options["worker_id"]])
        if requeued:
            self.stdout.write(f"Queued again {len(requeued)} task(s) left running by a worker")
        super().handle(*args, **options)
