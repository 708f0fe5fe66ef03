"""A task left running by a killed task worker is queued again when a worker starts, and
running a task twice is harmless: an import is written once, whole or not at all."""

import io
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskContext
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from stonebridge.background.recovery import (
    ended_on_this_machine,
    requeue_abandoned_tasks,
    worker_id_for_this_process,
)
from stonebridge.risk import tasks as risk_tasks
from stonebridge.supplychain import services as supplychain_services
from stonebridge.supplychain.models import Facility, ImportJob
from tests.supplychain.importing.helpers import FACILITY_HEADERS, upload

Status = ImportJob.Status
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def queued_in_database(settings):
    """Tasks wait in the database for a worker, as in production."""
    settings.TASKS = DATABASE_TASKS


def ended_worker_id() -> str:
    """The id a worker on this machine had, whose process has ended."""
    process = subprocess.Popen([sys.executable, "-c", ""])
    process.wait()
    host, _pid, suffix = worker_id_for_this_process().split(":")
    return f"{host}:{process.pid}:{suffix}"


def claimed_by(worker_id: str) -> DBTaskResult:
    """A queued task a worker claimed and then left: it stays RUNNING."""
    task_result = DBTaskResult.objects.ready().get()
    task_result.claim(worker_id)
    return task_result


def run_worker() -> str:
    out = io.StringIO()
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--interval", "0", "--no-reload", stdout=out
    )
    return out.getvalue()


def test_a_worker_on_this_machine_that_ended_is_seen_as_gone():
    assert ended_on_this_machine(ended_worker_id())
    assert not ended_on_this_machine(worker_id_for_this_process())
    parent = worker_id_for_this_process().replace(f":{os.getpid()}:", f":{os.getppid()}:")
    assert not ended_on_this_machine(parent)
    # A fixed id, or a worker on another machine, cannot be judged from here.
    assert not ended_on_this_machine("worker-1")
    assert not ended_on_this_machine("another-machine:1:abcdefgh")


def test_the_task_of_an_ended_worker_is_queued_again(db, queued_in_database):
    risk_tasks.recompute_all.enqueue()
    abandoned = claimed_by(ended_worker_id())
    assert [t.pk for t in requeue_abandoned_tasks()] == [abandoned.pk]
    abandoned.refresh_from_db()
    assert abandoned.status == TaskResultStatus.READY
    assert len(abandoned.worker_ids) == 1  # the next run is its second attempt


def test_the_task_of_a_running_worker_is_left_alone(db, queued_in_database):
    risk_tasks.recompute_all.enqueue()
    alive = worker_id_for_this_process().replace(f":{os.getpid()}:", f":{os.getppid()}:")
    running = claimed_by(alive)
    assert requeue_abandoned_tasks() == []
    running.refresh_from_db()
    assert running.status == TaskResultStatus.RUNNING


def test_a_worker_with_a_fixed_id_takes_back_what_its_previous_life_left(db, queued_in_database):
    risk_tasks.recompute_all.enqueue()
    claimed_by("worker-1")
    assert requeue_abandoned_tasks(worker_ids=["worker-2"]) == []
    assert len(requeue_abandoned_tasks(worker_ids=["worker-1"])) == 1


def test_the_command_queues_again_tasks_running_too_long(db, queued_in_database):
    risk_tasks.recompute_all.enqueue()
    stuck = claimed_by("elsewhere:1:abcdefgh")
    DBTaskResult.objects.filter(pk=stuck.pk).update(
        started_at=timezone.now() - timedelta(minutes=90)
    )
    out = io.StringIO()
    call_command("requeue_abandoned_tasks", "--running-longer-than", "120", stdout=out)
    assert "0 task(s) queued again" in out.getvalue()
    call_command("requeue_abandoned_tasks", "--running-longer-than", "60", stdout=out)
    assert "1 task(s) queued again" in out.getvalue()
    stuck.refresh_from_db()
    assert stuck.status == TaskResultStatus.READY


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing after it runs, not even the import's own error handling."""


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_while_writing_is_written_whole_once_its_worker_returns(
    reference_data, buyer, owner, queued_in_database, monkeypatch
):
    rows = [[f"R{n}", "processor", f"水头石材厂{n}号", "", "南安", "", ""] for n in range(5)]
    job = upload(buyer, owner, FACILITY_HEADERS, rows)
    assert job.status == Status.QUEUED
    before = Facility.objects.count()

    # The first worker claims the task and is killed inside the import's transaction, after
    # the facilities were written and before the job was marked done.
    task_result = claimed_by(ended_worker_id())

    def killed(**kwargs: object) -> None:
        raise WorkerKilled

    with monkeypatch.context() as patched:
        patched.setattr(supplychain_services, "chain_rebuild", killed)
        first_run = task_result.task_result
        with pytest.raises(WorkerKilled):
            task_result.task.call(TaskContext(task_result=first_run), **first_run.kwargs)

    # Rolled back whole: not one facility of the file, the job still "importing".
    assert Facility.objects.count() == before
    job.refresh_from_db()
    assert job.status == Status.RUNNING

    # A worker starts, queues the task again and runs it: the job starts over and completes.
    assert "Queued again 1 task(s) left running" in run_worker()
    task_result.refresh_from_db()
    assert task_result.status == TaskResultStatus.SUCCESSFUL
    assert len(task_result.worker_ids) == 2
    job.refresh_from_db()
    assert job.status == Status.DONE, job.errors
    assert Facility.objects.count() == before + 5

    # The same task once more (queued twice by mistake): the job is done, nothing is imported.
    from stonebridge.supplychain.tasks import run_import

    run_import.enqueue(job_id=job.pk)
    run_worker()
    assert Facility.objects.count() == before + 5
    assert ImportJob.objects.get(pk=job.pk).result == job.result


@pytest.mark.django_db(transaction=True)
def test_a_recompute_run_twice_gives_the_same_scores(
    reference_data, chain, buyer, queued_in_database
):
    from stonebridge.risk.models import Score

    def scores() -> list[tuple[int, int, float, float]]:
        return sorted(
            Score.objects.values_list("facility_id", "issue_id", "severity", "likelihood")
        )

    risk_tasks.recompute_organisation.enqueue(organisation_id=buyer.pk)
    run_worker()
    first = scores()
    assert first
    risk_tasks.recompute_organisation.enqueue(organisation_id=buyer.pk)
    run_worker()
    assert scores() == first
    assert not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists()


@pytest.mark.django_db(transaction=True)
def test_a_worker_waits_out_a_database_restart(queued_in_database, monkeypatch):
    """The database goes away while the worker runs a task: the worker does not exit, and once
    the database is back the task is queued again and run."""
    from django.db.utils import OperationalError

    from stonebridge.background.management.commands import db_worker

    monkeypatch.setattr(db_worker, "RECONNECT_SECONDS", 0)
    calls: list[int] = []
    set_failed = DBTaskResult.set_failed

    def recompute_during_a_restart() -> int:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("terminating connection due to administrator command")
        return 0

    def set_failed_while_the_database_is_down(self: DBTaskResult, exc: BaseException) -> None:
        if isinstance(exc, OperationalError):
            # Marking the task failed meets the same outage: it stays RUNNING.
            raise OperationalError("server closed the connection unexpectedly")
        set_failed(self, exc)

    monkeypatch.setattr(DBTaskResult, "set_failed", set_failed_while_the_database_is_down)
    monkeypatch.setattr("stonebridge.risk.services.recompute_all", recompute_during_a_restart)
    risk_tasks.recompute_all.enqueue()
    run_worker()
    task_result = DBTaskResult.objects.get()
    assert task_result.status == TaskResultStatus.SUCCESSFUL
    assert len(calls) == 2
