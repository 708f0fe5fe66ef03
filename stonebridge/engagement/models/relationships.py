"""A buyer's relationship with a supplier's facility, shared with the supplier's own
organisation once it accepts, and the code of conduct the buyer sends it."""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stonebridge.accounts.models import Organisation
from stonebridge.accounts.ownership import SharedQuerySet
from stonebridge.languages import in_reader_language
from stonebridge.supplychain.models import Facility

USER = settings.AUTH_USER_MODEL

# StoneBridge default: a year is the "reasonable period" after which no tangible improvement
# despite support counts as a red flag; the buyer sets its own per supplier.
DEFAULT_IMPROVEMENT_PERIOD_DAYS = 365


class Status(models.TextChoices):
    ENGAGED = "engaged", _("Engaged")
    ORDERS_SUSPENDED = "orders_suspended", _("New orders suspended")
    EXITING = "exiting", _("Exiting")
    EXITED = "exited", _("Relationship ended")


class RelationshipQuerySet(SharedQuerySet["Relationship"]):
    def of_buyer(self, organisation: Organisation) -> "RelationshipQuerySet":
        return self.filter(organisation=organisation)

    def asking(self, organisation: Organisation) -> "RelationshipQuerySet":
        return self.filter(supplier=organisation, supplier_accepted_at__isnull=True)


class Relationship(models.Model):
    """One buyer's engagement with one facility of the registry, shared with the supplier's
    own organisation (its account) when the buyer names it."""

    Status = Status

    owner_path, supplier_path, accepted_path = "organisation", "supplier", "supplier_accepted_at"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="relationships"
    )
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(
        Organisation,
        verbose_name=_("supplier's account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shared_relationships",
        limit_choices_to={"kind": Organisation.Kind.SUPPLIER},
        help_text=_("The supplier's organisation in StoneBridge, which sees what you share."),
    )
    # Nothing reaches the supplier's organisation until one of its people accepts: a buyer
    # cannot push its plans, or learn who works there, by naming any organisation.
    supplier_accepted_at = models.DateTimeField(null=True, blank=True)
    supplier_accepted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the buyer last took the relationship from one supplier's account to another (or to
    # none). What happened before the current account accepted is not held against it.
    supplier_changed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ENGAGED
    )
    improvement_period_days = models.PositiveSmallIntegerField(
        _("period to show improvement (days)"),
        default=DEFAULT_IMPROVEMENT_PERIOD_DAYS,
        validators=[MinValueValidator(30), MaxValueValidator(1825)],
        help_text=_(
            "After this many days of a plan with your support, no measured improvement counts "
            "as a red flag. StoneBridge default: 365."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = RelationshipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "facility"], name="one_relationship_per_facility"
            )
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.facility)

    @property
    def ended(self) -> bool:
        return self.status == Status.EXITED

    @property
    def shared(self) -> bool:
        return self.supplier_id is not None and self.supplier_accepted_at is not None

    @property
    def flags_since(self) -> date | None:
        """The day the red-flag clocks start: the current account's acceptance when it took
        over from another; none for the first account, which answers for the whole record."""
        if self.supplier_changed_at is None or self.supplier_accepted_at is None:
            return None
        return timezone.localdate(self.supplier_accepted_at)


def shared_through(relationship: str) -> tuple[str, str, str]:
    """A row's paths through its relationship, as `accounts/ownership.py` reads them: to the
    buyer that owns it, to the supplier's organisation it is shared with, and to the moment
    that organisation accepted."""
    return (
        f"{relationship}__{Relationship.owner_path}",
        f"{relationship}__{Relationship.supplier_path}",
        f"{relationship}__{Relationship.accepted_path}",
    )


class Code(models.Model):
    """A buyer's code of conduct (supplier expectations), in English and Chinese, versioned."""

    owner_path = "organisation"
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="codes")
    version = models.PositiveSmallIntegerField()
    title = models.CharField(_("title in English"), max_length=200, blank=True)
    title_zh = models.CharField(_("title in Chinese"), max_length=200, blank=True)
    text_en = models.TextField(_("text in English"))
    text_zh = models.TextField(_("text in Chinese"))
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "version"], name="one_code_version")
        ]
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{in_reader_language(self.title, self.title_zh)} v{self.version}"


class Commitment(models.Model):
    """A code sent to a supplier and, once it has read it, acknowledged by a named person."""

    owner_path, supplier_path, accepted_path = shared_through("relationship")
    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="commitments"
    )
    code = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="commitments")
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SharedQuerySet["Commitment"].as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["relationship", "code"], name="one_commitment_per_code")
        ]
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.code} → {self.relationship}"
