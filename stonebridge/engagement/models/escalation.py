"""When engagement stalls: the escalation ladder, a responsible exit, and the red flags seen
raised."""

from datetime import date, timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stonebridge.accounts.ownership import SharedQuerySet
from stonebridge.display import readable

from .relationships import USER, Relationship, shared_through


class Escalation(models.Model):
    """A step taken when engagement stalls, from a reminder up to exit (guidance: escalate
    before leaving; leaving is the last resort)."""

    owner_path = "relationship__organisation"

    class Step(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        SENIOR_MEETING = "senior_meeting", _("Meeting with senior management")
        JOINT_VISIT = "joint_visit", _("Joint visit")
        COLLECTIVE_ACTION = "collective_action", _("Collective action with other buyers")
        SUSPEND_ORDERS = "suspend_orders", _("Suspend new orders")
        RESUME_ORDERS = "resume_orders", _("Resume orders")
        EXIT = "exit", _("Exit")

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="escalations"
    )
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    taken_on = models.DateField(_("taken on"))
    note = models.TextField(_("what happened"), blank=True)
    note_zh = models.TextField(_("what happened, in Chinese"), blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    # The "collective action" step names the joint engagement it joins or started.
    collective = models.ForeignKey(
        "engagement.CollectiveEngagement",
        verbose_name=_("collective engagement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="escalations",
    )

    class Meta:
        ordering = ["-taken_on", "-pk"]

    def __str__(self) -> str:
        return self.get_step_display()


class ExitPlan(models.Model):
    """How a relationship ends responsibly: notice, the workers affected, the wind-down of
    orders. Remediation actions stay open after it completes."""

    # Shared: the supplier reads why and how the relationship ends, as a letter from its buyer.
    owner_path, supplier_path, accepted_path = shared_through("relationship")
    relationship = models.OneToOneField(
        Relationship, on_delete=models.CASCADE, related_name="exit_plan"
    )
    reason = models.TextField(_("why the relationship ends"), blank=True)
    reason_zh = models.TextField(_("why the relationship ends, in Chinese"), blank=True)
    red_flags = models.CharField(_("red flags behind it"), max_length=100, blank=True)
    decided_on = models.DateField(_("decided on"))
    notice_days = models.PositiveSmallIntegerField(_("notice period (days)"))
    workers_affected = models.PositiveIntegerField(_("workers affected"))
    workers_note = models.TextField(_("how the workers are protected"), blank=True)
    workers_note_zh = models.TextField(_("how the workers are protected, in Chinese"), blank=True)
    wind_down = models.TextField(_("how orders wind down"), blank=True)
    wind_down_zh = models.TextField(_("how orders wind down, in Chinese"), blank=True)
    last_order_on = models.DateField(_("last order on"), null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = SharedQuerySet["ExitPlan"].as_manager()

    def __str__(self) -> str:
        return f"{self.relationship} ({readable(self.decided_on)})"

    @property
    def ends_on(self) -> date:
        return self.decided_on + timedelta(days=self.notice_days)


class FlagState(models.Model):
    """When each red flag was last seen raised, so that people are told once when it rises."""

    # Shared: the supplier sees a standing flag as a concern, with what would resolve it.
    owner_path, supplier_path, accepted_path = shared_through("relationship")
    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="flags")
    code = models.CharField(max_length=30)
    raised_at = models.DateTimeField(default=timezone.now)
    cleared_at = models.DateTimeField(null=True, blank=True)

    objects = SharedQuerySet["FlagState"].as_manager()

    class Meta:
        ordering = ["-raised_at"]
        # The flags standing (not cleared), newest first, for the home page and the dashboard:
        # read from the few standing rows rather than from every relationship of the buyer.
        indexes = [models.Index(fields=["cleared_at", "raised_at"], name="flag_standing_idx")]

    def __str__(self) -> str:
        return self.code
