"""Background work for the supply-chain map: large imports run in the task worker."""

from django_tasks import TaskContext, task


@task(takes_context=True)
def run_import(context: TaskContext, *, job_id: int) -> None:
    # Imported here because importing/jobs.py enqueues this task: a module-level import would loop.
    from .importing import import_run

    # A second attempt is a task queued again after its worker was killed mid-import
    # (stonebridge/background/recovery.py): the job it left checking or importing is taken up
    # again. Nothing of it was written: the import writes in one transaction.
    import_run(job_id=job_id, resume=context.attempt > 1)
