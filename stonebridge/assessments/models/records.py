"""The factory's own wage-and-hours records, checked against the law.

A buyer (or the supplier, for its own site) uploads worker, attendance and payroll files for one
facility and period; a background task runs the pure engine (`assessments/records/`) and stores
what it found. Workers are pseudonymised on the way in: no name is stored, and a worker's own
reference only as a keyed hash (`WORKER_REF_KEY`). The raw files, which carry names and birth
dates, are deleted as soon as the check has finished or failed (see `RecordsFile`).

Rows hang on the buyer's relationship with the facility, so the buyer owns them and the
supplier's organisation sees them once it accepted the sharing (`accounts/ownership.py`).
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from stonebridge.engagement.models import Relationship
from stonebridge.engagement.models.relationships import shared_through

USER = settings.AUTH_USER_MODEL


def _day(day: date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


class HoursApproval(models.Model):
    """A labour bureau's approval of the comprehensive working-hours system (综合计算工时工作制)
    for some posts of the facility: without one on record, the standard rules apply (Labour Law
    Art. 39; 劳部发〔1994〕503号)."""

    owner_path, supplier_path, accepted_path = shared_through("relationship")

    class Period(models.TextChoices):
        WEEK = "week", _("Week")
        MONTH = "month", _("Month")
        QUARTER = "quarter", _("Quarter")
        YEAR = "year", _("Year")

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="hours_approvals"
    )
    posts = models.CharField(_("posts covered"), max_length=300)
    period = models.CharField(_("calculation period"), max_length=10, choices=Period.choices)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    reference = models.CharField(_("approval number"), max_length=100, blank=True)
    document_name = models.CharField(max_length=200)
    document_type = models.CharField(max_length=100)
    document = models.BinaryField()
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    # Put on record by the supplier's own people: it loosens the hours rules only in the checks
    # the supplier runs itself, never in the buyer's, which the buyer must base on a document it
    # put on record.
    by_supplier = models.BooleanField(default=False)

    class Meta:
        ordering = ["-valid_until", "-pk"]

    def __str__(self) -> str:
        return f"{self.posts} ({_day(self.valid_from)} – {_day(self.valid_until)})"


class RecordsCheck(models.Model):
    owner_path, supplier_path, accepted_path = shared_through("relationship")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to run")
        RUNNING = "running", _("Checking the records")
        DONE = "done", _("Check finished")
        FAILED = "failed", _("Has errors: nothing was checked")

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="records_checks"
    )
    by_supplier = models.BooleanField(default=False)
    period_start = models.DateField(_("first day"))
    period_end = models.DateField(_("last day"))
    minimum_wage = models.DecimalField(
        _("minimum wage (CNY a month)"), max_digits=8, decimal_places=2
    )
    minimum_wage_source = models.CharField(_("minimum wage notice"), max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    # The approval that let the engine apply the comprehensive working-hours system, if any.
    approval = models.ForeignKey(
        HoursApproval, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # [{"file": "attendance", "row": 7, "column": "clock_in", "message": "..."}]
    errors = models.JSONField(default=list)
    # [{"kind": "attendance", "name": "kaoqin.xlsx", "size": 1234}], what was uploaded.
    files = models.JSONField(default=list)
    workers = models.PositiveIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)
    months = models.JSONField(default=list)
    # {"rules": {"DAILY_OVERTIME_CAP": 3}, "issues": {"HOURS_WAGES": 5}}
    counts = models.JSONField(default=dict)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.relationship} {_day(self.period_start)} – {_day(self.period_end)}"

    @property
    def running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def violation_count(self) -> int:
        return sum(self.counts.get("issues", {}).values())

    @property
    def origin(self) -> str:
        """How the evidence it became names it, so a re-check finds and replaces it."""
        return f"assessments.records_check:{self.pk}"


class RecordsFile(models.Model):
    """An uploaded file waiting for its check. Kept in the database like engagement
    attachments, and deleted when the check finishes or fails: the files carry workers' names
    and birth dates, which StoneBridge does not need once the pseudonymised result is stored, and
    the uploader keeps the originals. Served to nobody, so shared with nobody."""

    owner_path = "records_check__relationship__organisation"

    class Kind(models.TextChoices):
        WORKERS = "workers", _("Workers")
        ATTENDANCE = "attendance", _("Attendance records")
        PAYROLL = "payroll", _("Payroll")

    records_check = models.ForeignKey(
        RecordsCheck, on_delete=models.CASCADE, related_name="uploads"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    content = models.BinaryField()

    def __str__(self) -> str:
        return self.name


class RecordsViolation(models.Model):
    """One rule broken for one worker (or the facility) in one month. `worker` is the keyed hash
    of the worker's reference, never the reference or the name."""

    owner_path, supplier_path, accepted_path = shared_through("records_check__relationship")

    records_check = models.ForeignKey(
        RecordsCheck, on_delete=models.CASCADE, related_name="violations"
    )
    worker = models.CharField(max_length=64, blank=True)
    month = models.CharField(max_length=7)
    rule = models.CharField(max_length=40)
    issue = models.CharField(max_length=20)
    figures = models.JSONField(default=dict)
    source = models.CharField(max_length=300)

    class Meta:
        ordering = ["worker", "month", "rule", "pk"]

    def __str__(self) -> str:
        return f"{self.rule} {self.month}"


class RecordsIndication(models.Model):
    """A sign of double books: not a violation, a reason to look closer."""

    owner_path, supplier_path, accepted_path = shared_through("records_check__relationship")

    records_check = models.ForeignKey(
        RecordsCheck, on_delete=models.CASCADE, related_name="indications"
    )
    code = models.CharField(max_length=40)
    workers = models.PositiveIntegerField(default=0)
    month = models.CharField(max_length=7, blank=True)
    figures = models.JSONField(default=dict)

    class Meta:
        ordering = ["code", "month", "pk"]

    def __str__(self) -> str:
        return self.code
