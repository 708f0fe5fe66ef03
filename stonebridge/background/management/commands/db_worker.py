"""`manage.py db_worker`: django-tasks-db's worker, which first queues again the tasks a killed
worker left running (stonebridge/background/recovery.py), and waits out a database restart
instead of exiting."""

import logging
import time
from argparse import ArgumentParser
from typing import Any

from django.db import connections
from django_tasks_db.management.commands import db_worker

from stonebridge.background.recovery import requeue_abandoned_tasks, worker_id_for_this_process
from stonebridge.errors import DATABASE_OUTAGE

logger = logging.getLogger(__name__)

# Seconds between tries while the database cannot be reached.
RECONNECT_SECONDS = 5.0


class Command(db_worker.Command):
    help = "Run a task worker, after queueing again the tasks a killed worker left running"

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        # Generated per process, naming the machine and the process, so a later worker can tell
        # this one has ended.
        parser.set_defaults(worker_id=None)

    def handle(self, *args: Any, **options: Any) -> None:
        options["worker_id"] = options["worker_id"] or worker_id_for_this_process()
        while True:
            try:
                # Also what this worker had running when the database went away.
                requeued = requeue_abandoned_tasks(worker_ids=[options["worker_id"]])
                if requeued:
                    self.stdout.write(f"Queued again {len(requeued)} task(s) left running")
                super().handle(*args, **options)
                return
            except DATABASE_OUTAGE:
                logger.warning(
                    "The database cannot be reached; trying again in %s s", RECONNECT_SECONDS
                )
                connections.close_all()
                time.sleep(RECONNECT_SECONDS)
