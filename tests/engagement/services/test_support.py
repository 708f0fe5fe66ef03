"""Support given and orders placed (purchasing practices)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from stonebridge.defaults.models import Key
from stonebridge.engagement import queries
from stonebridge.engagement.services import plans, relationships, support

from .helpers import ORDER, TODAY, new_action

# --- support ----------------------------------------------------------------------------------


def test_support_cannot_be_linked_to_another_suppliers_actions(buyer, owner, chain, relationship):
    other = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["workshop"]
    )
    elsewhere = new_action(plans.plan_create(relationship=other, by=owner, title="x"), owner)
    with pytest.raises(ValidationError) as refused:
        support.support_record(
            relationship=relationship,
            by=owner,
            kind="training",
            description="Dust training.",
            given_on=TODAY,
            actions=[elsewhere],
        )
    assert "actions" in refused.value.message_dict
    assert not relationship.support.exists()


# --- purchasing practices ---------------------------------------------------------------------


def test_a_rushed_order_below_labour_cost_shows_both_practices(relationship, owner):
    support.order_record(relationship=relationship, by=owner, **ORDER)
    (row,) = queries.purchasing(relationship)["rows"]
    assert row.practices == ["short_lead", "below_cost"]


def test_a_fair_order_shows_no_practice(relationship, owner):
    fair = {
        **ORDER,
        "delivery_due_on": ORDER["placed_on"] + timedelta(days=90),
        "unit_price": Decimal("14.00"),
    }
    support.order_record(relationship=relationship, by=owner, **fair)
    (row,) = queries.purchasing(relationship)["rows"]
    assert row.practices == []


def test_the_practices_follow_the_thresholds_staff_set(relationship, owner, set_default):
    fair = {
        **ORDER,
        "delivery_due_on": ORDER["placed_on"] + timedelta(days=90),
        "unit_price": Decimal("14.00"),
    }
    support.order_record(relationship=relationship, by=owner, **fair)
    set_default(Key.SHORT_LEAD_DAYS, 120)
    set_default(Key.BELOW_COST_PERCENT, 150)
    (row,) = queries.purchasing(relationship)["rows"]
    assert row.practices == ["short_lead", "below_cost"]


def test_a_later_change_or_payment_passes_once_staff_allow_it(relationship, owner, set_default):
    ten_days_before = ORDER["delivery_due_on"] - timedelta(days=10)
    late = {**ORDER, "payment_days": 75, "last_changed_on": ten_days_before}
    support.order_record(relationship=relationship, by=owner, **late)
    (row,) = queries.purchasing(relationship)["rows"]
    assert {"late_change", "long_payment"} <= set(row.practices)
    set_default(Key.LONG_PAYMENT_DAYS, 90)
    set_default(Key.LATE_CHANGE_DAYS, 7)
    (row,) = queries.purchasing(relationship)["rows"]
    assert not {"late_change", "long_payment"} & set(row.practices)
