"""The factory's own grievance procedure, run by the supplier's organisation: its deadlines,
its committee of named members, and the worker-management dialogue meetings it holds."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stonebridge.accounts.models import Organisation
from stonebridge.display import readable
from stonebridge.supplychain.models import Facility


class Procedure(models.Model):
    """One per supplier organisation. Its days replace StoneBridge's defaults on the cases
    workers send to its committee (`services.intake.deadlines`)."""

    owner_path = "organisation"

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="grievance_procedure"
    )
    acknowledge_days = models.PositiveSmallIntegerField(
        _("days to tell the worker the case arrived"),
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    respond_days = models.PositiveSmallIntegerField(
        _("days to answer the worker"),
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    description = models.TextField(_("how it works, for workers"), blank=True)
    contact = models.TextField(_("who workers may talk to"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("grievance procedure")

    def __str__(self) -> str:
        return str(self.organisation)


class MemberRole(models.TextChoices):
    MANAGEMENT = "management", _("Management")
    WORKER = "worker", _("Worker representative")


class Chosen(models.TextChoices):
    ELECTED = "elected", _("Elected by the workers")
    APPOINTED = "appointed", _("Appointed")


class CommitteeMember(models.Model):
    """A named member of the grievance committee. A member who leaves keeps the row, with the
    day they left: who sat on the committee when a case was handled stays known."""

    owner_path = "procedure__organisation"

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices)
    chosen = models.CharField(_("how chosen"), max_length=20, choices=Chosen.choices)
    since = models.DateField(_("member since"))
    until = models.DateField(_("member until"), null=True, blank=True)

    class Meta:
        verbose_name = _("committee member")
        ordering = ["role", "name", "pk"]

    def __str__(self) -> str:
        # The name alone: the audit log keeps this label in the language of the moment.
        return self.name


class Meeting(models.Model):
    """A worker-management dialogue meeting, with its minutes and what was agreed."""

    owner_path = "procedure__organisation"

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("held on"))
    facility = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site"),
    )
    workers_present = models.PositiveIntegerField(_("workers taking part"))
    topics = models.TextField(_("topics discussed"))
    minutes = models.TextField(_("minutes"))
    follow_up = models.TextField(_("agreed follow-up"), blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("dialogue meeting")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{_('Dialogue meeting')} · {readable(self.held_on)}"
