"""How far an import job has come, for the progress bar on its page."""

from ..models import ImportJob

PROGRESS_EVERY = 1000


class Progress:
    """processed_rows, written in short updates of their own so the import page sees it move
    while the file is checked and while the rows are prepared; the write itself is one
    transaction, invisible until the end. Without a job (a dry run) it counts nothing."""

    def __init__(self, job_id: int | None = None) -> None:
        self.job_id = job_id
        self.count = 0

    def restart(self, *, total: int | None = None) -> None:
        """From 0 again, for the next phase; total the rows of the file once it is read."""
        self.count = 0
        if self.job_id is not None:
            changes = (
                {"processed_rows": 0}
                if total is None
                else {
                    "processed_rows": 0,
                    "total_rows": total,
                }
            )
            ImportJob.objects.filter(pk=self.job_id).update(**changes)

    def tick(self) -> None:
        self.count += 1
        if self.job_id is not None and self.count % PROGRESS_EVERY == 0:
            ImportJob.objects.filter(pk=self.job_id).update(processed_rows=self.count)
