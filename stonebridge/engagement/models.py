"""A buyer's engagement with a supplier: expectations, joint plans, support, requests, orders,
escalation and exit.

Everything here belongs to the buyer that made it (DESIGN.md, rule 2) and is shared with the
supplier organisation named on the relationship. The supplier sees it in its workspace. Each
model declares the path to both (`accounts/ownership.py`).
"""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stonebridge.accounts.models import Organisation
from stonebridge.accounts.ownership import SharedQuerySet
from stonebridge.supplychain.models import Facility

from .indicators import OUTCOME_CHOICES

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
    title = models.CharField(_("title"), max_length=200)
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
        return f"{self.title} v{self.version}"


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
    title = models.CharField(_("title"), max_length=200)
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
        return self.title


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
    title = models.CharField(_("what will be done"), max_length=200)
    title_zh = models.CharField(_("in Chinese"), max_length=200, blank=True)
    description = models.TextField(_("details"), blank=True)
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
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.title

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
    title = models.CharField(_("what is measured"), max_length=200)
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
        return self.title

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
    reported_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    by_supplier = models.BooleanField(default=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["measured_on", "pk"]

    def __str__(self) -> str:
        return f"{self.measure}: {self.value} ({self.measured_on})"


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
        return f"{self.action}: {self.current_due_on} → {self.proposed_due_on}"


class Request(models.Model):
    """A question or request for information, documents, a visit or sub-contractor disclosure."""

    owner_path, supplier_path, accepted_path = shared_through("relationship")

    class Kind(models.TextChoices):
        QUESTION = "question", _("Question")
        DOCUMENTS = "documents", _("Documents or records")
        VISIT = "visit", _("Site visit or audit")
        SUBCONTRACTORS = "subcontractors", _("Disclose sub-contractors and stone origins")

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered")
        REFUSED = "refused", _("Refused")

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="requests"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("what you ask"))
    due_on = models.DateField(_("answer by"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = SharedQuerySet["Request"].as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class Support(models.Model):
    """What the buyer gives, linked to the actions it supports, so that "adequate support was
    given" can be shown or disproven before a red flag for no improvement is raised."""

    owner_path, supplier_path, accepted_path = shared_through("relationship")

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        EXPERT_VISIT = "expert_visit", _("Expert visit")
        CO_FUNDING = "co_funding", _("Co-funding")
        LONGER_CONTRACT = "longer_contract", _("Longer contract")
        PREFERRED_STATUS = "preferred_status", _("Preferred-supplier status")
        PRICE_ADJUSTMENT = "price_adjustment", _("Price adjustment")
        ORDER_FORECAST = "order_forecast", _("Order forecast")

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="support")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("what was given"))
    given_on = models.DateField(_("given on"))
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    actions = models.ManyToManyField(
        Action, verbose_name=_("actions it supports"), blank=True, related_name="support"
    )
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-given_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.given_on})"


class Order(models.Model):
    """One purchase order, with what the buyer's practice asked of the supplier."""

    owner_path = "relationship__organisation"
    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="orders")
    reference = models.CharField(_("order reference"), max_length=60)
    placed_on = models.DateField(_("placed on"))
    delivery_due_on = models.DateField(_("delivery due on"))
    last_changed_on = models.DateField(_("last changed on"), null=True, blank=True)
    changes = models.PositiveSmallIntegerField(_("number of changes"), default=0)
    payment_days = models.PositiveSmallIntegerField(_("payment terms (days)"))
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=10)
    unit_price = models.DecimalField(_("price per unit"), max_digits=12, decimal_places=2)
    labour_cost_per_unit = models.DecimalField(
        _("supplier's stated labour cost per unit"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    currency = models.CharField(_("currency"), max_length=3)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-placed_on", "-pk"]

    def __str__(self) -> str:
        return self.reference


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
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-taken_on", "-pk"]

    def __str__(self) -> str:
        return self.get_step_display()


class ExitPlan(models.Model):
    """How a relationship ends responsibly: notice, the workers affected, the wind-down of
    orders. Remediation actions stay open after it completes."""

    owner_path = "relationship__organisation"
    relationship = models.OneToOneField(
        Relationship, on_delete=models.CASCADE, related_name="exit_plan"
    )
    reason = models.TextField(_("why the relationship ends"))
    red_flags = models.CharField(_("red flags behind it"), max_length=100, blank=True)
    decided_on = models.DateField(_("decided on"))
    notice_days = models.PositiveSmallIntegerField(_("notice period (days)"))
    workers_affected = models.PositiveIntegerField(_("workers affected"))
    workers_note = models.TextField(_("how the workers are protected"), blank=True)
    wind_down = models.TextField(_("how orders wind down"))
    last_order_on = models.DateField(_("last order on"), null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"{self.relationship} ({self.decided_on})"

    @property
    def ends_on(self) -> date:
        return self.decided_on + timedelta(days=self.notice_days)


class FlagState(models.Model):
    """When each red flag was last seen raised, so that people are told once when it rises."""

    owner_path = "relationship__organisation"
    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="flags")
    code = models.CharField(max_length=30)
    raised_at = models.DateTimeField(default=timezone.now)
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return self.code
