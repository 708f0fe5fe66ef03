"""Buying practices that push suppliers to excessive overtime or sub-contracting (guidance:
the buyer's own purchasing practices; DOMAIN.md engagement models). Pure.

The thresholds are StoneBridge defaults, chosen as conservative starting points, not cited norms.
Callers pass the values staff set (stonebridge/defaults); the constants are what StoneBridge ships.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SHORT_LEAD_DAYS = 45  # StoneBridge default
LATE_CHANGE_DAYS = 21  # StoneBridge default: a change this close to delivery
LONG_PAYMENT_DAYS = 60  # StoneBridge default
BELOW_COST_PERCENT = 100  # StoneBridge default: a price below this share of the labour cost

SHORT_LEAD = "short_lead"
LATE_CHANGE = "late_change"
BELOW_COST = "below_cost"
LONG_PAYMENT = "long_payment"

LABELS: dict[str, Promise] = {
    SHORT_LEAD: _("Short lead time"),
    LATE_CHANGE: _("Changed late"),
    BELOW_COST: _("Price below the stated labour cost"),
    LONG_PAYMENT: _("Long payment terms"),
}
# What the practice tends to cause at the supplier, shown beside its hours and
# sub-contracting risks.
EFFECTS: dict[str, Promise] = {
    SHORT_LEAD: _("Rushed orders lead to overtime and to work passed to sub-contractors."),
    LATE_CHANGE: _("Late changes lead to overtime and to work passed to sub-contractors."),
    BELOW_COST: _("A price below labour cost leaves no room for legal wages and overtime pay."),
    LONG_PAYMENT: _("Late payment leads to late wages and cheaper, informal sub-contractors."),
}


@dataclass(frozen=True)
class OrderTerms:
    placed_on: date
    delivery_due_on: date
    last_changed_on: date | None
    payment_days: int
    unit_price: Decimal
    labour_cost_per_unit: Decimal | None

    @property
    def lead_days(self) -> int:
        return (self.delivery_due_on - self.placed_on).days


def assess(
    order: OrderTerms,
    *,
    short_lead_days: int = SHORT_LEAD_DAYS,
    late_change_days: int = LATE_CHANGE_DAYS,
    long_payment_days: int = LONG_PAYMENT_DAYS,
    below_cost_percent: int = BELOW_COST_PERCENT,
) -> list[str]:
    """The practices this order shows, as codes of LABELS."""
    found = []
    if order.lead_days < short_lead_days:
        found.append(SHORT_LEAD)
    if (
        order.last_changed_on is not None
        and (order.delivery_due_on - order.last_changed_on).days < late_change_days
    ):
        found.append(LATE_CHANGE)
    if (
        order.labour_cost_per_unit is not None
        and order.unit_price * 100 < order.labour_cost_per_unit * below_cost_percent
    ):
        found.append(BELOW_COST)
    if order.payment_days > long_payment_days:
        found.append(LONG_PAYMENT)
    return found


def summary(assessed: Iterable[list[str]]) -> dict[str, int]:
    """How many orders show each practice, from what `assess` found in each."""
    counts = dict.fromkeys(LABELS, 0)
    for found in assessed:
        for code in found:
            counts[code] += 1
    return counts
