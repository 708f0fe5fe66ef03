"""The table of StoneBridge defaults: one row per value, created by a migration; staff change
the value in use, never the set of rows."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Key(models.TextChoices):
    GRACE_DAYS = "grace_days", _("Days past due before silence counts as ignored")
    DUE_SOON_DAYS = "due_soon_days", _("Days of notice before an action is due")
    SHORT_LEAD_DAYS = "short_lead_days", _("Lead time that counts as short")
    LATE_CHANGE_DAYS = "late_change_days", _("Order change that counts as late")
    LONG_PAYMENT_DAYS = "long_payment_days", _("Payment terms that count as long")
    BELOW_COST_PERCENT = "below_cost_percent", _("Price that counts as below labour cost")
    IMPORT_ASK_SCORE = "import_ask_score", _("Resemblance worth asking about in an import")
    SURVEY_MIN_ANSWERS = "survey_min_answers", _("Fewest answers shown from a worker survey")
    COVENANT_MIN_MEMBERS = "covenant_min_members", _("Fewest members behind a covenant figure")


MEANINGS: dict[str, Promise] = {
    Key.GRACE_DAYS: _(
        "A question, request or action more than this many days past its due date, with no word "
        "from the supplier for as long, counts as ignored. It raises the red flag “Refuses to "
        "engage”, or “Refuses transparency” for a request for documents, a visit or "
        "sub-contractor disclosure."
    ),
    Key.DUE_SOON_DAYS: _(
        "The owners of an action are reminded this many days before it is due, by their own "
        "calendar, and once more when it is overdue."
    ),
    Key.SHORT_LEAD_DAYS: _(
        "An order with fewer days than this between placing it and delivery shows the practice "
        "“Short lead time”: rushed orders lead to overtime and to work passed to "
        "sub-contractors."
    ),
    Key.LATE_CHANGE_DAYS: _(
        "An order changed fewer than this many days before delivery shows the practice "
        "“Changed late”."
    ),
    Key.LONG_PAYMENT_DAYS: _(
        "An order with payment terms of more than this many days shows the practice “Long "
        "payment terms”."
    ),
    Key.BELOW_COST_PERCENT: _(
        "An order whose unit price is below this share of the labour cost per unit the supplier "
        "stated shows the practice “Price below the stated labour cost”. At 100 %, any price "
        "below the labour cost."
    ),
    Key.IMPORT_ASK_SCORE: _(
        "When a supplier list is imported, a facility of the registry whose name resembles a "
        "row's at least this much (0 to 100) is offered for a person to confirm; below it, the "
        "row becomes a new facility. A facility is taken without asking only when the "
        "distinctive words of the names agree and nothing contradicts it, whatever this value."
    ),
    Key.SURVEY_MIN_ANSWERS: _(
        "Results of a worker survey are shown only for a group with at least this many answers, "
        "so that no worker can be recognised. It may be raised, never set below 5."
    ),
    Key.COVENANT_MIN_MEMBERS: _(
        "The covenant sees a figure only when at least this many members stand behind it, so "
        "that no member's own figures can be recognised. It may be raised, never set below 3."
    ),
}


class Unit(models.TextChoices):
    DAYS = "days", _("days")
    PERCENT = "percent", _("percent")
    SCORE = "score", _("score out of 100")
    ANSWERS = "answers", _("survey answers")
    MEMBERS = "members", _("covenant members")


class Default(models.Model):
    key = models.CharField(_("name"), max_length=40, unique=True, choices=Key.choices)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    value = models.PositiveIntegerField(_("value in use"), validators=[MinValueValidator(1)])
    stonebridge_default = models.PositiveIntegerField(_("as StoneBridge ships it"))
    # The lowest value a group may have before the people in it could be recognised.
    floor = models.PositiveIntegerField(_("lowest allowed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("changed"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("StoneBridge default")
        verbose_name_plural = _("StoneBridge defaults")
        constraints = [
            models.CheckConstraint(condition=models.Q(value__gte=1), name="default_positive"),
            models.CheckConstraint(
                condition=models.Q(floor__isnull=True) | models.Q(value__gte=models.F("floor")),
                name="default_not_below_floor",
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_key_display())

    @property
    def meaning(self) -> str:
        return str(MEANINGS[self.key])

    def clean(self) -> None:
        """A group smaller than its floor could single people out; a score ends at 100."""
        if self.floor is not None and self.value < self.floor:
            raise ValidationError(
                {
                    "value": _(
                        "This cannot be below %(floor)s: in a smaller group people could be "
                        "recognised."
                    )
                    % {"floor": self.floor}
                }
            )
        if self.unit == Unit.SCORE and self.value > 100:
            raise ValidationError({"value": _("A score goes up to 100.")})
