from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Download(models.Model):
    """A long list, written to a file by the task worker with the filters, search and sort the
    person had on the page, for that person alone: some lists show each person their own rows."""

    owner_path = "organisation"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to run")
        RUNNING = "running", _("Writing the file")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    # The dotted path of the list's `Listing`, e.g. "stonebridge.voice.exports.CASES".
    listing = models.CharField(max_length=200)
    title = models.CharField(max_length=200)  # the list's name, in the person's language
    back = models.CharField(max_length=500, blank=True)  # the list page, with its filters
    fmt = models.CharField(max_length=4)
    query = models.TextField(blank=True)  # the page's filters, search and sort, as in its address
    language = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    filename = models.CharField(max_length=200, blank=True)
    content = models.BinaryField(null=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title} · {self.fmt} ({self.get_status_display()})"

    @property
    def progress(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0

    @property
    def waiting(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
