"""Background work for the annual report: the file is written by the task worker."""

from django_tasks import task


@task()
def write_report(*, job_id: int) -> int:
    """A report file; a failure is shown on its page, not lost."""
    # Imported here because services enqueues this task: a module-level import would loop.
    from .services import report_job_run

    report_job_run(job_id=job_id)
    return job_id
