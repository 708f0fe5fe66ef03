"""Remediation for harm that happened to workers: what is put right, for whom, who pays, its
milestones and how it was verified. It belongs to the buyer and outlives the business
relationship: ending the relationship does not end the remedy."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stonebridge.accounts.models import Organisation
from stonebridge.supplychain.models import Facility

from .cases import Case


class RemedyKind(models.TextChoices):
    BACK_PAY = "back_pay", _("Back pay")
    MEDICAL = "medical", _("Medical care and occupational-disease checks")
    REINSTATEMENT = "reinstatement", _("Reinstatement")
    CHILD = "child", _("Schooling and continued income for a child removed from work")
    OTHER = "other", _("Other")


class Payer(models.TextChoices):
    SUPPLIER = "supplier", _("The supplier")
    BUYER = "buyer", _("The buyer")
    SHARED = "shared", _("Shared")
    OTHER = "other", _("Someone else")


class RemedyState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    VERIFIED = "verified", _("Verified")


class Remedy(models.Model):
    """The buyer's; the supplier it concerns reads it (never changes it) through the
    relationship at the facility, once it accepted that relationship, and still after the
    relationship ends."""

    owner_path = "organisation"
    supplier_path = "relationship__supplier"
    accepted_path = "relationship__supplier_accepted_at"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("site")
    )
    relationship = models.ForeignKey(
        "engagement.Relationship",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="remedies",
        verbose_name=_("grievance"),
    )
    plan = models.ForeignKey(
        "engagement.Plan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("improvement plan"),
    )
    kind = models.CharField(_("kind of remedy"), max_length=20, choices=RemedyKind.choices)
    description = models.TextField(_("what is put right"))
    workers_covered = models.PositiveIntegerField(
        _("workers covered"), validators=[MinValueValidator(1)]
    )
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    paid_by = models.CharField(_("who pays"), max_length=20, choices=Payer.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=RemedyState.choices, default=RemedyState.PLANNED
    )
    verified_by = models.CharField(_("verified by"), max_length=200, blank=True)
    verification_method = models.CharField(_("how it was verified"), max_length=200, blank=True)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    verification_note = models.TextField(_("verification note"), blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("remedy")
        verbose_name_plural = _("remedies")
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.facility}"


class RemedyMilestone(models.Model):
    owner_path = "remedy__organisation"
    supplier_path = "remedy__relationship__supplier"
    accepted_path = "remedy__relationship__supplier_accepted_at"

    remedy = models.ForeignKey(Remedy, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("milestone")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title
