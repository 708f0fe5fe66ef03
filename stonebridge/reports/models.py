"""The annual due-diligence report: the covenant's reporting year, what the buyer writes for each
step, and the files written in the background."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportingPeriod(models.Model):
    """The reporting year a covenant sets for its members (for the Dutch-Flemish natural-stone
    covenant a year ending 30 September, DOMAIN.md); a buyer outside a covenant, or in one that
    set none, reports on the calendar year."""

    owner_path = "covenant"

    covenant = models.OneToOneField(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="reporting_period",
        limit_choices_to={"kind": "covenant"},
    )
    starts_month = models.PositiveSmallIntegerField(
        _("the year starts in month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    starts_day = models.PositiveSmallIntegerField(
        _("on day"), default=1, validators=[MinValueValidator(1), MaxValueValidator(28)]
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")

    def __str__(self) -> str:
        return f"{self.covenant_id}: {self.starts_day}/{self.starts_month}"


class Edition(models.TextChoices):
    CONFIDENTIAL = "confidential", _("Confidential report for the covenant")
    PUBLIC = "public", _("Public plan of action")


class ReportNarrative(models.Model):
    """What the buyer writes about one OECD step of one reporting period, shown beside the
    figures in both editions."""

    owner_path = "organisation"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="report_narratives"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    step = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(6)])
    text = models.TextField(_("what you write about this step"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "period_start", "period_end", "step"],
                name="one_narrative_per_step",
            )
        ]
        ordering = ["period_start", "step"]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.period_start}–{self.period_end} step {self.step}"


class ReportJob(models.Model):
    """An annual report file, written by the task worker while a page shows how far it has
    come; only members of the organisation download it."""

    owner_path = "organisation"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to run")
        RUNNING = "running", _("Writing the report")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "XLSX"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="report_jobs"
    )
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    edition = models.CharField(_("edition"), max_length=20, choices=Edition.choices)
    language = models.CharField(_("language"), max_length=10)
    fmt = models.CharField(_("format"), max_length=4, choices=Format.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total_steps = models.PositiveSmallIntegerField(default=0)
    done_steps = models.PositiveSmallIntegerField(default=0)
    filename = models.CharField(max_length=120, blank=True)
    content = models.BinaryField(null=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.period_start}–{self.period_end} {self.edition} {self.fmt}"

    @property
    def progress(self) -> int:
        """Percent done, for the progress bar."""
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done_steps / self.total_steps) if self.total_steps else 0
