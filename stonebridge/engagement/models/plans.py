"""Joint improvement plans: their actions, how each is measured, what either side reports,
and proposals to move a due date."""

from datetime import date
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stonebridge.accounts.ownership import SharedQuerySet
from stonebridge.display import number, readable
from stonebridge.languages import in_reader_language
from stonebridge.supplychain.models import Facility

from ..indicators import OUTCOME_CHOICES
from .relationships import USER, Relationship, shared_through


class PlanQuerySet(SharedQuerySet["Plan"]):
    def with_parts(self) -> "PlanQuerySet":
        return self.select_related(
            "relationship__organisation", "relationship__facility", "facility"
        )


class Plan(models.Model):
    """A joint improvement plan with a supplier, for its own site or one further down."""

    owner_path, supplier_path, accepted_path = shared_through("relationship")

    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="plans")
    facility = models.ForeignKey(
        Facility,
        verbose_name=_("site"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The supplier's own site, or a sub-supplier down the chain."),
    )
    title = models.CharField(_("title in English"), max_length=200, blank=True)
    title_zh = models.CharField(_("title in Chinese"), max_length=200, blank=True)
    programme = models.CharField(_("programme"), max_length=40, blank=True)
    starts_on = models.DateField(_("starts on"), default=date.today)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return in_reader_language(self.title, self.title_zh)


class ActionKind(models.TextChoices):
    CORRECTIVE = "corrective", _("Corrective action")
    PREVENTIVE = "preventive", _("Preventive action")
    # Remediation for harm done (back pay, schooling for a child worker): it stays open after
    # the relationship ends until it is fulfilled (guidance: remediation survives exit).
    REMEDIATION = "remediation", _("Remediation for harm done")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    REPORTED_DONE = "reported_done", _("Reported done")
    VERIFIED = "verified", _("Verified as done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.REPORTED_DONE)


class ActionQuerySet(SharedQuerySet["Action"]):
    def still_open(self) -> "ActionQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: date) -> "ActionQuerySet":
        return self.still_open().filter(due_on__lt=today)


class Action(models.Model):
    Kind = ActionKind
    Status = ActionStatus

    owner_path, supplier_path, accepted_path = shared_through("plan__relationship")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(
        _("kind"), max_length=20, choices=ActionKind.choices, default=ActionKind.CORRECTIVE
    )
    title = models.CharField(_("what will be done"), max_length=200, blank=True)
    title_zh = models.CharField(_("in Chinese"), max_length=200, blank=True)
    description = models.TextField(_("details"), blank=True)
    description_zh = models.TextField(_("details in Chinese"), blank=True)
    issue = models.ForeignKey(
        "risk.Issue", verbose_name=_("risk it addresses"), on_delete=models.PROTECT
    )
    finding = models.ForeignKey(
        "risk.Evidence",
        verbose_name=_("finding it answers"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    buyer_owner = models.ForeignKey(
        USER,
        verbose_name=_("owner at the buyer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    supplier_owner = models.ForeignKey(
        USER,
        verbose_name=_("owner at the supplier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            # A buyer's actions counted by status, due date and verification (dashboard, home
            # page) from the index alone, reached plan by plan.
            models.Index(
                fields=["plan", "status", "due_on", "verified_at"], name="action_counts_idx"
            ),
        ]

    def __str__(self) -> str:
        return in_reader_language(self.title, self.title_zh)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Measure(models.Model):
    """How an action is followed: a procedural milestone, or an outcome in workers' conditions
    with a baseline, a target and readings over time."""

    owner_path, supplier_path, accepted_path = shared_through("action__plan__relationship")

    class Kind(models.TextChoices):
        MILESTONE = "milestone", _("Milestone (a step taken)")
        OUTCOME = "outcome", _("Outcome (workers' conditions)")

    class Source(models.TextChoices):
        # Entered by hand until worker surveys exist; then taken from them.
        MANUAL = "manual", _("Entered by hand")
        SURVEY = "survey", _("Worker survey")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("what is measured"), max_length=200, blank=True)
    title_zh = models.CharField(_("in Chinese"), max_length=200, blank=True)
    indicator = models.CharField(
        _("outcome indicator"), max_length=40, choices=OUTCOME_CHOICES, blank=True
    )
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    lower_is_better = models.BooleanField(_("lower is better"), default=False)
    baseline = models.DecimalField(
        _("baseline (before)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)

    class Meta:
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return in_reader_language(self.title, self.title_zh)

    def improved(self, value: Decimal) -> bool:
        if self.baseline is None:
            return False
        return value < self.baseline if self.lower_is_better else value > self.baseline


class Reading(models.Model):
    """A measured value of an outcome. A supplier's report counts once the buyer confirms it."""

    owner_path, supplier_path, accepted_path = shared_through("measure__action__plan__relationship")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="readings")
    measured_on = models.DateField(_("measured on"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    note = models.CharField(_("how it was measured"), max_length=300, blank=True)
    note_zh = models.CharField(_("how it was measured, in Chinese"), max_length=300, blank=True)
    reported_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    by_supplier = models.BooleanField(default=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["measured_on", "pk"]

    def __str__(self) -> str:
        return _("%(measure)s: %(value)s (%(date)s)") % {
            "measure": self.measure,
            "value": number(self.value),
            "date": readable(self.measured_on),
        }


class Update(models.Model):
    """Progress reported on an action, or a comment, from either side, with its files."""

    owner_path, supplier_path, accepted_path = shared_through("action__plan__relationship")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    by_supplier = models.BooleanField(default=False)
    text = models.TextField(_("message"))
    status = models.CharField(
        _("new status"), max_length=20, choices=ActionStatus.choices, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Attachment(models.Model):
    """Evidence uploaded with an update. Kept in the database, so it is as private and backed
    up as the record it proves, and served only through the access check."""

    owner_path, supplier_path, accepted_path = shared_through("update__action__plan__relationship")
    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    content = models.BinaryField()

    def __str__(self) -> str:
        return self.name


class DueDateChange(models.Model):
    """A supplier's proposal to move an action's due date, with its reason and the decision."""

    owner_path, supplier_path, accepted_path = shared_through("action__plan__relationship")

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="due_date_changes")
    current_due_on = models.DateField()
    proposed_due_on = models.DateField(_("new due date"))
    reason = models.TextField(_("reason"))
    proposed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at"]

    def __str__(self) -> str:
        return _("%(action)s: %(old)s → %(new)s") % {
            "action": self.action,
            "old": readable(self.current_due_on),
            "new": readable(self.proposed_due_on),
        }
