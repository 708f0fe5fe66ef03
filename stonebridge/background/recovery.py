"""Tasks left "running" by a task worker that was killed are found and queued again.

django-tasks-db marks a task RUNNING when a worker claims it and records the worker's id; a
worker killed mid-task (out of memory, a deploy, the machine restarting) leaves it RUNNING for
ever, and nobody would run it again. StoneBridge's tasks are safe to run twice (an import claims
its job, a recompute writes the same scores again, a download or an e-mail checks whether it was
done), so a task whose worker is gone is put back in the queue:

- when a worker starts (`manage.py db_worker`, stonebridge/background/management/commands):
  the tasks its previous life left behind, when it runs with a fixed `--worker-id` (one per
  service, as systemd or a process manager starts it), and the tasks of any worker on this
  machine whose process has ended (generated ids name the machine and the process);
- on demand with `manage.py requeue_abandoned_tasks`, which can also name workers known to be
  gone, or requeue whatever has been running longer than a given time.

A process on another machine cannot be seen from here: give such workers fixed ids, or use
`--running-longer-than`.
"""

import logging
import os
import socket
from collections.abc import Collection
from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.utils.crypto import get_random_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

_SEPARATOR = ":"


def _host() -> str:
    return socket.gethostname()[:40].replace(_SEPARATOR, "-")


def worker_id_for_this_process() -> str:
    """host:pid:random, at most 64 characters: another worker on this machine can tell whether
    the process still runs."""
    return _SEPARATOR.join((_host(), str(os.getpid()), get_random_string(8)))


def process_ended(pid: int) -> bool:
    """Whether no process `pid` runs on this machine: gone, or a zombie nobody has reaped."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # someone else's process: it runs
    stat = Path(f"/proc/{pid}/stat")
    try:
        # "pid (name) state ...": the name may hold spaces, the state follows its last ")".
        return stat.read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def ended_on_this_machine(worker_id: str) -> bool:
    parts = worker_id.split(_SEPARATOR)
    if len(parts) != 3 or parts[0] != _host() or not parts[1].isdigit():
        return False  # a fixed id, or another machine's worker: not ours to judge
    return int(parts[1]) != os.getpid() and process_ended(int(parts[1]))


def requeue_abandoned_tasks(
    *, worker_ids: Collection[str] = (), started_before: datetime | None = None
) -> list[DBTaskResult]:
    """Queue again the running tasks whose worker is named in `worker_ids`, has ended on this
    machine, or (with `started_before`) that have run since before that time."""
    requeued = []
    with transaction.atomic():
        # Skips a row another worker is claiming this instant.
        running = DBTaskResult.objects.running().select_for_update(skip_locked=True)
        for task_result in running:
            last_worker = task_result.worker_ids[-1] if task_result.worker_ids else ""
            abandoned = (
                last_worker in worker_ids
                or ended_on_this_machine(last_worker)
                or (
                    started_before is not None
                    and task_result.started_at is not None
                    and task_result.started_at < started_before
                )
            )
            if not abandoned:
                continue
            task_result.status = TaskResultStatus.READY
            task_result.started_at = None
            # worker_ids stays: the next run counts as a second attempt and sees who ran it.
            task_result.save(update_fields=["status", "started_at"])
            requeued.append(task_result)
    for task_result in requeued:
        logger.warning(
            "Queued again task %s (%s), left running by worker %s",
            task_result.pk,
            task_result.task_path,
            task_result.worker_ids[-1] if task_result.worker_ids else "?",
        )
    return requeued
