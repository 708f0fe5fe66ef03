"""What passes between buyer and supplier beside the plans: requests for information, the
buyer's support, and its orders (its purchasing practices)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stonebridge.accounts.ownership import SharedQuerySet
from stonebridge.languages import in_reader_language

from .plans import Action
from .relationships import USER, Relationship, shared_through


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
    text = models.TextField(_("what you ask, in English"), blank=True)
    text_zh = models.TextField(_("what you ask, in Chinese"), blank=True)
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
        return in_reader_language(self.text, self.text_zh)[:60]


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
