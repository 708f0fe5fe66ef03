"""Visits to a supplier's sites and what they found.

A buyer plans a visit to one or more of the facilities it engages, done by its own people or by a
service provider (an auditor, a local partner) it grants access to those sites until a date.
Each finding names the site, the salient issue and indicator, and becomes risk evidence. The
supplier sees the findings about its own sites in its workspace, once the visit is no secret
(an unannounced visit stays hidden until its day), and may dispute one; the buyer resolves it.

Paths (`accounts/ownership.py`): the buyer owns every row; the supplier's organisation is reached
through the relationship of the site; the provider through `provider_path` while
`granted_until_path` has not passed.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stonebridge.accounts.models import Organisation
from stonebridge.accounts.ownership import SharedQuerySet
from stonebridge.display import readable
from stonebridge.engagement.models import Relationship
from stonebridge.engagement.models.relationships import shared_through
from stonebridge.risk.models import Confidence, SourceType

USER = settings.AUTH_USER_MODEL


class VisitKind(models.TextChoices):
    ANNOUNCED = "announced", _("Announced visit")
    UNANNOUNCED = "unannounced", _("Unannounced visit")
    DESK_REVIEW = "desk_review", _("Desk review")
    WORKER_INTERVIEWS = "worker_interviews", _("Worker interviews")
    LOCAL_PARTNER = "local_partner", _("Local partner visit")


# StoneBridge default: how far a finding is trusted, by how it was found. An unannounced visit
# and interviews with workers see what a prepared visit may not; a desk review reads papers only.
CONFIDENCE = {
    VisitKind.ANNOUNCED: Confidence.MEDIUM,
    VisitKind.UNANNOUNCED: Confidence.HIGH,
    VisitKind.DESK_REVIEW: Confidence.LOW,
    VisitKind.WORKER_INTERVIEWS: Confidence.HIGH,
    VisitKind.LOCAL_PARTNER: Confidence.MEDIUM,
}
# StoneBridge default: a disputed finding counts one step lower until the buyer resolves it.
LOWER: dict[str, str] = {Confidence.HIGH: Confidence.MEDIUM, Confidence.MEDIUM: Confidence.LOW}


def source_type_of(kind: str) -> str:
    return SourceType.WORKER_INTERVIEW if kind == VisitKind.WORKER_INTERVIEWS else SourceType.AUDIT


def seen_by_supplier(visit: str = "", today: date | None = None) -> Q:
    """Visits the supplier may know about: all but an unannounced one before its day."""
    prefix = f"{visit}__" if visit else ""
    today = today or timezone.localdate()
    return ~Q(**{f"{prefix}kind": VisitKind.UNANNOUNCED}) | Q(**{f"{prefix}visit_on__lte": today})


class VisitQuerySet(models.QuerySet["Visit"]):
    def newest_first(self) -> "VisitQuerySet":
        return self.order_by("-visit_on", "-pk")


class Visit(models.Model):
    owner_path = "organisation"
    provider_path, granted_until_path = "provider", "access_until"

    Kind = VisitKind

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="visits")
    kind = models.CharField(_("type of visit"), max_length=20, choices=VisitKind.choices)
    visit_on = models.DateField(_("date of the visit"))
    scope = models.TextField(_("scope in English"), blank=True)
    scope_zh = models.TextField(_("scope in Chinese"), blank=True)
    # Done by the buyer's own people when no provider is named.
    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("service provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
        limit_choices_to={"kind": Organisation.Kind.SERVICE_PROVIDER},
    )
    access_until = models.DateField(_("access until"), null=True, blank=True)
    report = models.TextField(_("report of the visit"), blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-visit_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {readable(self.visit_on)}"

    def granted(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.provider_id is not None and (self.access_until or date.min) >= today

    def has_taken_place(self, today: date | None = None) -> bool:
        return self.visit_on <= (today or timezone.localdate())

    def conductor(self) -> Organisation:
        return self.provider or self.organisation


class VisitSite(models.Model):
    """One facility a visit covers, through the buyer's relationship with it."""

    owner_path, supplier_path, accepted_path = shared_through("relationship")
    provider_path, granted_until_path = "visit__provider", "visit__access_until"

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="visit_sites")
    relationship = models.ForeignKey(Relationship, on_delete=models.PROTECT, related_name="+")

    objects = SharedQuerySet["VisitSite"].as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visit", "relationship"], name="one_visit_per_site")
        ]

    def __str__(self) -> str:
        return f"{self.visit} · {self.relationship}"


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class FindingState(models.TextChoices):
    STANDS = "stands", _("Stands")
    DISPUTED = "disputed", _("Disputed by the supplier")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class FindingQuerySet(SharedQuerySet["Finding"]):
    def seen_by_supplier(self, today: date | None = None) -> "FindingQuerySet":
        return self.filter(seen_by_supplier("visit", today))


class Finding(models.Model):
    owner_path, supplier_path, accepted_path = shared_through("relationship")
    provider_path, granted_until_path = "visit__provider", "visit__access_until"

    State = FindingState

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="findings"
    )
    relationship = models.ForeignKey(
        Relationship, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    issue = models.ForeignKey("risk.Issue", verbose_name=_("issue"), on_delete=models.PROTECT)
    indicator = models.ForeignKey(
        "risk.Indicator",
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    description = models.TextField(_("what was found, in English"), blank=True)
    description_zh = models.TextField(_("what was found, in Chinese"), blank=True)
    state = models.CharField(max_length=10, choices=FindingState.choices, default="stands")
    evidence = models.ForeignKey(
        "risk.Evidence", null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.issue} · {readable(self.visit.visit_on)}"


class DisputeOutcome(models.TextChoices):
    PENDING = "pending", _("Waiting for the buyer's decision")
    UPHELD = "upheld", _("Finding upheld")
    CORRECTED = "corrected", _("Finding corrected")
    WITHDRAWN = "withdrawn", _("Finding withdrawn")


class Dispute(models.Model):
    """The supplier's reasons against a finding, and the buyer's decision."""

    owner_path, supplier_path, accepted_path = shared_through("finding__relationship")
    provider_path = "finding__visit__provider"
    granted_until_path = "finding__visit__access_until"

    Outcome = DisputeOutcome

    finding = models.ForeignKey(
        Finding, verbose_name=_("finding"), on_delete=models.CASCADE, related_name="disputes"
    )
    reasons = models.TextField(_("your reasons"))
    raised_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(
        _("decision"), max_length=10, choices=DisputeOutcome.choices, default="pending"
    )
    note = models.TextField(_("explanation for the supplier"), blank=True)
    resolved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.finding} · {self.get_outcome_display()}"


class FindingFile(models.Model):
    """A file proving a finding, or a supplier's dispute of it. Kept in the database like the
    engagement attachments, served only through the access check, always as a download."""

    owner_path, supplier_path, accepted_path = shared_through("finding__relationship")
    provider_path = "finding__visit__provider"
    granted_until_path = "finding__visit__access_until"

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="files")
    dispute = models.ForeignKey(
        Dispute, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name
