"""Background work for the supply-chain map: large imports run in the task worker."""

from django_tasks import task


@task()
def run_import(*, job_id: int) -> None:
    # Imported here because importing/jobs.py enqueues this task: a module-level import would loop.
    from .importing import import_run

    import_run(job_id=job_id)
