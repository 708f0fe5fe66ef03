"""Escalation steps, and remediation that survives the exit."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from stonebridge.engagement import queries
from stonebridge.engagement.services import escalation, plans

from .helpers import TODAY, exit_plan, new_action

# --- remediation survives the exit ------------------------------------------------------------


@pytest.fixture
def exited(relationship, owner, plan):
    corrective = new_action(plan, owner, title="Dust extraction")
    remediation = new_action(
        plan, owner, kind="remediation", issue="YOUTH", title="Schooling for the two boys"
    )
    escalation.exit_complete(exit_plan=exit_plan(relationship, owner), by=owner)
    corrective.refresh_from_db()
    remediation.refresh_from_db()
    return SimpleNamespace(corrective=corrective, remediation=remediation, plan=plan)


def test_exit_cancels_corrective_actions(exited, relationship):
    relationship.refresh_from_db()
    assert relationship.status == "exited"
    assert exited.corrective.status == "cancelled"


def test_remediation_stays_open_after_exit_on_the_buyers_list(exited, buyer):
    assert exited.remediation.status == "open"
    assert list(queries.open_remediation_after_exit(buyer)) == [exited.remediation]


def test_remediation_after_exit_still_takes_supplier_reports(exited, supplier_user):
    plans.update_post(
        action=exited.remediation,
        by=supplier_user,
        by_supplier=True,
        text="两个孩子已经入学。",
        status="reported_done",
    )
    exited.remediation.refresh_from_db()
    assert exited.remediation.status == "reported_done"


def test_verified_remediation_leaves_the_list_after_exit(exited, buyer, owner):
    plans.action_verify(action=exited.remediation, by=owner, note="School records seen.")
    assert list(queries.open_remediation_after_exit(buyer)) == []


def test_no_new_corrective_action_after_exit(exited, owner):
    with pytest.raises(ValidationError):
        new_action(exited.plan, owner, title="More dust extraction")


def test_a_new_remediation_action_is_allowed_after_exit(exited, owner):
    back_pay = new_action(
        exited.plan, owner, kind="remediation", issue="HOURS_WAGES", title="Back pay"
    )
    assert back_pay in queries.open_remediation_after_exit(exited.plan.relationship.organisation)


def test_remediation_of_a_running_relationship_is_not_on_the_exit_list(buyer, owner, plan):
    new_action(plan, owner, kind="remediation", issue="YOUTH", title="Schooling")
    assert list(queries.open_remediation_after_exit(buyer)) == []


# --- escalation -------------------------------------------------------------------------------


def escalate(relationship, owner, step):
    escalation.escalation_take(relationship=relationship, by=owner, step=step, taken_on=TODAY)
    relationship.refresh_from_db()
    return relationship.status


def test_suspending_orders_shows_on_the_relationship(relationship, owner):
    assert escalate(relationship, owner, "suspend_orders") == "orders_suspended"


def test_resuming_orders_returns_to_engagement(relationship, owner):
    escalate(relationship, owner, "suspend_orders")
    assert escalate(relationship, owner, "resume_orders") == "engaged"


def test_orders_that_were_not_suspended_cannot_resume(relationship, owner):
    with pytest.raises(ValidationError):
        escalate(relationship, owner, "resume_orders")


def test_exit_is_not_an_escalation_step_but_needs_an_exit_plan(relationship, owner):
    with pytest.raises(ValidationError) as raised_error:
        escalate(relationship, owner, "exit")
    assert "step" in raised_error.value.message_dict
    relationship.refresh_from_db()
    assert relationship.status == "engaged"
    assert not relationship.escalations.exists()
