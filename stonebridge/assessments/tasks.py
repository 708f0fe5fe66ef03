"""Background work for assessments: a records check runs in the task worker, so a year of clock
records for a large factory never holds up the page that uploaded them."""

from django_tasks import task


@task()
def run_records_check(*, check_id: int) -> None:
    # Imported here because the service enqueues this task: a module-level import would loop.
    from .services.records import records_check_run

    records_check_run(check_id=check_id)
