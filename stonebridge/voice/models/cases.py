"""A worker's grievance (a case), who it is routed to, the messages and files on it, and every
reveal of the worker's identity.

The worker has no account: a case is found by its 6-digit number and a 12-digit secret of which
only an Argon2id hash is kept (`receipts.py`). Nothing here holds an IP address or a browser's
user agent. The worker's words, identity, contact details, photo and voice are encrypted at rest
(`stonebridge/encryption.py`).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stonebridge.accounts.models import Organisation
from stonebridge.encryption import EncryptedBinaryField, EncryptedTextField
from stonebridge.risk.models import Issue
from stonebridge.supplychain.models import Facility

from .channels import Channel


class Topic(models.TextChoices):
    """What the worker picks, in plain words, each mapped to a salient issue (TOPIC_ISSUES)."""

    SAFETY = "safety", _("Safety or health: dust, injuries, protective gear")
    HOURS = "hours", _("Too much overtime, too little rest")
    PAY = "pay", _("Pay: wages owed, deductions, pay below the minimum")
    CONTRACT = "contract", _("Labour contract")
    INSURANCE = "insurance", _("Social insurance")
    YOUNG = "young", _("Children, young workers or student interns")
    FORCED = "forced", _("Not free to leave, papers kept, threats")
    TREATMENT = "treatment", _("Shouting, beating, bullying or punishment for speaking up")
    ENVIRONMENT = "environment", _("Waste water, dust or waste outside the factory")
    OTHER = "other", _("Something else")


TOPIC_ISSUES = {
    Topic.SAFETY: "OHS",
    Topic.HOURS: "HOURS_WAGES",
    Topic.PAY: "HOURS_WAGES",
    Topic.CONTRACT: "CONTRACTS",
    Topic.INSURANCE: "SOCIAL_SECURITY",
    Topic.YOUNG: "YOUTH",
    Topic.FORCED: "FORCED_LABOUR",
    Topic.TREATMENT: "VOICE",
    Topic.ENVIRONMENT: "ENVIRONMENT",
    Topic.OTHER: None,
}


class Route(models.TextChoices):
    """Who the worker chose to read the case."""

    COMMITTEE = "committee", _("The factory's own grievance committee")
    BUYERS = "buyers", _("The buyers who sponsor this channel")
    COVENANT = "covenant", _("The covenant's independent complaints body")


class Urgency(models.TextChoices):
    """Triage order: danger to life or health and children at work come first."""

    IMMINENT = "imminent", _("Imminent danger")
    CHILD = "child", _("A child at work")
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")


URGENCY_ORDER = [Urgency.IMMINENT, Urgency.CHILD, Urgency.URGENT, Urgency.NORMAL]


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class CaseState(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("Being handled")
    RESOLVED = "resolved", _("Answered, waiting for the worker's view")
    CLOSED = "closed", _("Closed")


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> "CaseQuerySet":
        return self.exclude(state=CaseState.CLOSED)


class Case(models.Model):
    # Members of every organisation the case is routed to see it (`access.received`); nobody
    # else, the factory included unless the worker routed it there.
    recipient_paths: dict[str, dict[str, object]] = {"routings__organisation": {}}

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="cases")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("case number"), max_length=6, unique=True)
    secret_hash = models.CharField(max_length=200)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    issue = models.ForeignKey(
        Issue, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("issue")
    )
    route = models.CharField(_("read by"), max_length=20, choices=Route.choices)
    share_with_factory = models.BooleanField(_("the factory may read it"), default=False)
    description = EncryptedTextField(_("what happened"), blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=True)
    contact_name = EncryptedTextField(_("name"), blank=True)
    contact_phone = EncryptedTextField(_("phone or WeChat"), blank=True)
    # PIPL: health facts and a voice are sensitive (Art. 29), and a buyer or covenant abroad
    # receiving the case is a transfer abroad (Art. 39); each needs its own consent.
    consent_sensitive_at = models.DateTimeField(null=True, blank=True)
    consent_abroad_at = models.DateTimeField(null=True, blank=True)

    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, blank=True)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    state = models.CharField(
        _("state"), max_length=20, choices=CaseState.choices, default=CaseState.RECEIVED
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    acknowledge_by = models.DateField(_("acknowledge by"))
    respond_by = models.DateField(_("respond by"))
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    reopened = models.PositiveSmallIntegerField(default=0)
    outcome = models.TextField(_("outcome"), blank=True)
    worker_satisfied = models.BooleanField(_("the worker is satisfied"), null=True, blank=True)
    worker_view = EncryptedTextField(_("the worker's view"), blank=True)
    # After the retention period the identity, contact details, photo and voice are erased;
    # the facts of the case stay for learning and reporting.
    erased_at = models.DateTimeField(null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("grievance")
        verbose_name_plural = _("grievances")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["state", "received_at"])]

    def __str__(self) -> str:
        return f"#{self.number}"


class RoutingKind(models.TextChoices):
    FACTORY = "factory", _("Factory")
    BUYER = "buyer", _("Buyer")
    COVENANT = "covenant", _("Covenant")


class Routing(models.Model):
    """An organisation a case is routed to, with its own handler and its own links to its
    findings and plans (judgements stay private to each organisation)."""

    owner_path = "organisation"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="routings")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=RoutingKind.choices)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    finding = models.ForeignKey(
        "assessments.Finding", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    plan = models.ForeignKey(
        "engagement.Plan", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "organisation"], name="voice_routing_once")
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.organisation}"

    @property
    def leads(self) -> bool:
        """Whether this organisation handles the case. A factory the worker only let read a case
        sent to the buyers or the covenant keeps notes on it and nothing more: it may not judge,
        answer, close, reveal who the worker is or replace their voice with its own words."""
        return self.kind != RoutingKind.FACTORY or self.case.route == Route.COMMITTEE


class Sender(models.TextChoices):
    WORKER = "worker", _("Worker")
    HANDLER = "handler", _("Case handler")


class Message(models.Model):
    """A message between the worker and the handlers, or a handler's internal note, which only
    the note's organisation reads."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=10, choices=Sender.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = EncryptedTextField(_("message"))
    question = models.BooleanField(_("asks the worker a question"), default=False)
    internal = models.BooleanField(_("internal note"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_sender_display()}"


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    VOICE = "voice", _("Voice message")


class Attachment(models.Model):
    """A photo (its EXIF and GPS data removed) or a voice message, encrypted. A voice message is
    deleted once a handler has written it down (`transcript` on the case's messages)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=10, choices=AttachmentKind.choices)
    content = EncryptedBinaryField()
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.case} · {self.get_kind_display()}"


class IdentityReveal(models.Model):
    """Each time someone read a worker's name or contact details, and why."""

    owner_path = "organisation"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reveals")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(_("reason"))
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.case} · {self.at:%Y-%m-%d}"
