"""Support and purchasing: what the buyer gives to help the supplier improve, and the orders it
places, whose terms the purchasing red flags weigh."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stonebridge.accounts.models import User

from ..models import Action, Order, Relationship, Support
from .notices import log


@transaction.atomic
def support_record(
    *,
    relationship: Relationship,
    by: User | None,
    kind: str,
    description: str,
    given_on: date,
    amount: Decimal | None = None,
    currency: str = "",
    actions: Iterable[Action] = (),
) -> Support:
    actions = list(actions)
    if any(a.plan.relationship_id != relationship.pk for a in actions):
        raise ValidationError({"actions": _("Choose actions of this supplier's plans.")})
    if amount is not None and not currency:
        raise ValidationError({"currency": _("Give the currency of the amount.")})
    support = Support(
        relationship=relationship,
        kind=kind,
        description=description.strip(),
        given_on=given_on,
        amount=amount,
        currency=currency.upper(),
        created_by=by,
    )
    support.full_clean()
    support.save()
    support.actions.set(actions)
    log(
        by,
        relationship,
        "support_recorded",
        support,
        kind=kind,
        actions=[a.pk for a in actions],
        amount=amount,
        currency=support.currency,
    )
    return support


def _check_order(order: Order) -> None:
    order.full_clean()
    errors = {}
    if order.delivery_due_on < order.placed_on:
        errors["delivery_due_on"] = _("Delivery cannot be due before the order is placed.")
    if order.last_changed_on and order.last_changed_on < order.placed_on:
        errors["last_changed_on"] = _("An order cannot change before it is placed.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def order_record(*, relationship: Relationship, by: User | None, **values: Any) -> Order:
    order = Order(relationship=relationship, created_by=by, **values)
    _check_order(order)
    order.save()
    log(by, relationship, "order_recorded", order, reference=order.reference)
    return order


@transaction.atomic
def order_update(*, order: Order, by: User | None, **values: Any) -> Order:
    """Correct an order or record a change to it (a new date, quantity or price, and the count
    of changes the purchasing red flags weigh)."""
    before = {field: getattr(order, field) for field in values}
    for field, value in values.items():
        setattr(order, field, value)
    _check_order(order)
    order.save(update_fields=list(values))
    changed = {f: [before[f], v] for f, v in values.items() if before[f] != v}
    log(by, order.relationship, "order_changed", order, **changed)
    return order
