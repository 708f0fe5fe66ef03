"""A long download, written by the task worker."""

from django_tasks import task


@task()
def write_download(*, download_id: int) -> int:
    """Safe to run twice; a failure is shown on the download's page, not lost."""
    from .models import Download
    from .writing import write_download

    download = (
        Download.objects.select_related("organisation", "created_by").filter(pk=download_id).first()
    )
    if download is None or download.status == Download.Status.DONE:
        return 0
    try:
        write_download(download)
    except Exception:
        Download.objects.filter(pk=download_id).update(status=Download.Status.FAILED)
        raise
    return download_id
