"""Every engagement service writes its audit entries; a new service fails here until it has a
case."""

import inspect
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from stonebridge.engagement.services import (
    attachments,
    collective,
    disclosure,
    escalation,
    measures,
    notices,
    plans,
    relationships,
    suppliers,
    support,
)
from stonebridge.supplychain.codes import credit_code_check_character

from .helpers import (
    ORDER,
    TODAY,
    days_ago,
    exit_plan,
    last_entry_id,
    new_action,
    new_entries,
    outcome,
)

# --- every service writes its audit entry -----------------------------------------------------

HELPERS = {
    "buyer_people",
    "supplier_people",
    "tell",
    "log",
    "log_for_supplier",
    "check_open",
    "check_files",
    "file_type",
}
SERVICE_MODULES = (
    relationships,
    plans,
    measures,
    support,
    disclosure,
    escalation,
    notices,
    attachments,
    suppliers,
    collective,
)

# case name (service, or "service:variant") → (what the case sets up and returns to call,
# the audit verbs the call writes).
CASES: dict[str, tuple[Callable[[SimpleNamespace], Callable[[], object]], list[str]]] = {}


def case(name: str, *verbs: str):
    def register(setup):
        CASES[name] = (setup, sorted(verbs))
        return setup

    return register


@case("relationship_create", "engagement.relationship_created")
def _(w):
    return lambda: relationships.relationship_create(
        organisation=w.buyer, by=w.owner, facility=w.chain["processor"], supplier=w.supplier_org
    )


@case("relationship_update", "engagement.relationship_updated")
def _(w):
    return lambda: relationships.relationship_update(
        relationship=w.relationship, by=w.owner, supplier=None, improvement_period_days=180
    )


# In the buyer's log and in the supplier's own.
@case("sharing_answer", "engagement.sharing_answered", "engagement.sharing_answered")
def _(w):
    relationship = relationships.relationship_create(
        organisation=w.buyer, by=w.owner, facility=w.chain["processor"], supplier=w.supplier_org
    )
    return lambda: relationships.sharing_answer(
        relationship=relationship, by=w.supplier_user, accept=True
    )


def publish_code(w):
    return relationships.code_publish(
        organisation=w.buyer,
        by=w.owner,
        title="Code of conduct",
        text_en="No child labour.",
        text_zh="禁止使用童工。",
    )


@case("code_publish", "engagement.code_published")
def _(w):
    return lambda: publish_code(w)


@case("code_send", "engagement.code_sent")
def _(w):
    code = publish_code(w)
    return lambda: relationships.code_send(relationship=w.relationship, by=w.owner, code=code)


# In the buyer's log and in the supplier's own.
@case("code_acknowledge", "engagement.code_acknowledged", "engagement.code_acknowledged")
def _(w):
    commitment = relationships.code_send(
        relationship=w.relationship, by=w.owner, code=publish_code(w)
    )
    return lambda: relationships.code_acknowledge(commitment=commitment, by=w.supplier_user)


@case("plan_create", "engagement.plan_created")
def _(w):
    return lambda: plans.plan_create(relationship=w.relationship, by=w.owner, title="Hours")


@case("plan_close", "engagement.plan_closed")
def _(w):
    empty = plans.plan_create(relationship=w.relationship, by=w.owner, title="Hours")
    return lambda: plans.plan_close(plan=empty, by=w.owner)


@case("action_create", "engagement.action_created")
def _(w):
    return lambda: new_action(w.plan, w.owner)


# In the buyer's log and in the supplier's own.
@case("update_post", "engagement.update_posted", "engagement.update_posted")
def _(w):
    return lambda: plans.update_post(
        action=w.action, by=w.supplier_user, by_supplier=True, text="开始安装除尘设备。"
    )


@case("action_verify", "engagement.action_verified", "risk.evidence_recorded")
def _(w):
    return lambda: plans.action_verify(action=w.action, by=w.owner, note="Seen on a visit.")


@case("action_update", "engagement.action_updated")
def _(w):
    return lambda: plans.action_update(
        action=w.action, by=w.owner, title="Wet cutting", due_on=TODAY + timedelta(days=90)
    )


@case("action_cancel", "engagement.action_cancelled")
def _(w):
    return lambda: plans.action_cancel(action=w.action, by=w.owner, reason="Duplicate.")


@case("measure_add", "engagement.measure_added")
def _(w):
    return lambda: outcome(w.action, w.owner)


@case("measure_set_targets", "engagement.measure_targets_set")
def _(w):
    measure = outcome(w.action, w.owner)
    return lambda: measures.measure_set_targets(
        measure=measure, by=w.owner, baseline=Decimal(66), target=Decimal(60)
    )


@case("milestone_achieve", "engagement.milestone_achieved")
def _(w):
    milestone = measures.measure_add(
        action=w.action, by=w.owner, kind="milestone", title="Dust extraction installed"
    )
    return lambda: measures.milestone_achieve(measure=milestone, by=w.owner, achieved_on=TODAY)


@case("reading_record", "engagement.reading_recorded", "risk.evidence_recorded")
def _(w):
    measure = outcome(w.action, w.owner)
    return lambda: measures.reading_record(
        measure=measure, by=w.owner, by_supplier=False, measured_on=TODAY, value=Decimal(60)
    )


# In the buyer's log and in the supplier's own.
@case("reading_record:by_supplier", "engagement.reading_recorded", "engagement.reading_recorded")
def _(w):
    measure = outcome(w.action, w.owner)
    return lambda: measures.reading_record(
        measure=measure, by=w.supplier_user, by_supplier=True, measured_on=TODAY, value=Decimal(60)
    )


@case("reading_record:without_baseline", "engagement.reading_recorded")
def _(w):
    measure = outcome(w.action, w.owner, baseline=None)
    return lambda: measures.reading_record(
        measure=measure, by=w.owner, by_supplier=False, measured_on=TODAY, value=Decimal(60)
    )


@case("reading_confirm", "engagement.reading_confirmed", "risk.evidence_recorded")
def _(w):
    measure = outcome(w.action, w.owner)
    reading = measures.reading_record(
        measure=measure, by=w.supplier_user, by_supplier=True, measured_on=TODAY, value=Decimal(60)
    )
    return lambda: measures.reading_confirm(reading=reading, by=w.owner)


# In the buyer's log and in the supplier's own.
@case("due_date_propose", "engagement.due_date_proposed", "engagement.due_date_proposed")
def _(w):
    return lambda: plans.due_date_propose(
        action=w.action,
        by=w.supplier_user,
        proposed_due_on=w.action.due_on + timedelta(days=30),
        reason="设备到货晚了。",
    )


@case("due_date_decide", "engagement.due_date_decided")
def _(w):
    change = plans.due_date_propose(
        action=w.action,
        by=w.supplier_user,
        proposed_due_on=w.action.due_on + timedelta(days=30),
        reason="设备到货晚了。",
    )
    return lambda: plans.due_date_decide(change=change, by=w.owner, accept=False)


@case("request_create", "engagement.request_created")
def _(w):
    return lambda: disclosure.request_create(
        relationship=w.relationship, by=w.owner, kind="visit", text="May we visit?", due_on=TODAY
    )


# In the buyer's log and in the supplier's own.
@case("request_answer", "engagement.request_answered", "engagement.request_answered")
def _(w):
    request = disclosure.request_create(
        relationship=w.relationship, by=w.owner, kind="visit", text="May we visit?", due_on=TODAY
    )
    return lambda: disclosure.request_answer(request=request, by=w.supplier_user, answer="欢迎。")


@case("support_record", "engagement.support_recorded")
def _(w):
    return lambda: support.support_record(
        relationship=w.relationship,
        by=w.owner,
        kind="co_funding",
        description="Half of the dust extraction.",
        given_on=TODAY,
        amount=Decimal(5000),
        currency="eur",
        actions=[w.action],
    )


@case("order_record", "engagement.order_recorded")
def _(w):
    return lambda: support.order_record(relationship=w.relationship, by=w.owner, **ORDER)


@case("order_update", "engagement.order_changed")
def _(w):
    order = support.order_record(relationship=w.relationship, by=w.owner, **ORDER)
    return lambda: support.order_update(order=order, by=w.owner, changes=1)


@case(
    "supplier_invite",
    "organisation.created",
    "invitation.created",
    "engagement.relationship_updated",
    "engagement.supplier_invited",
)
def _(w):
    return lambda: suppliers.supplier_invite(
        relationship=w.relationship,
        by=w.owner,
        name_zh="南安市水头鑫源石材厂",
        credit_code="91350583MA2XYKD3Q" + credit_code_check_character("91350583MA2XYKD3Q"),
        email="chen@xinyuan.example",
    )


@case("finding_disclose", "engagement.finding_disclosed", "risk.evidence_recorded")
def _(w):
    return lambda: disclosure.finding_disclose(
        relationship=w.relationship,
        by=w.supplier_user,
        issue="YOUTH",
        indicator="YOUTH_HAZARDOUS",
        summary="两名16岁的工人在切石。",
        observed_on=TODAY,
    )


@case("workforce_disclose", "risk.workforce_disclosed", "risk.workforce_disclosed")
def _(w):
    return lambda: disclosure.workforce_disclose(
        supplier=w.supplier_org, by=w.supplier_user, facility=w.relationship.facility, workers=40
    )


@case("upstream_disclose", "upstream.disclosed", "upstream.shared")
def _(w):
    return lambda: disclosure.upstream_disclose(
        supplier=w.supplier_org,
        by=w.supplier_user,
        site=w.relationship.facility,
        customer=w.relationship.facility,
        facility=w.chain["quarry"],
        kind="supplies_blocks",
    )


@case("escalation_take", "engagement.escalation_taken")
def _(w):
    return lambda: escalation.escalation_take(
        relationship=w.relationship, by=w.owner, step="reminder", taken_on=TODAY
    )


@case("exit_plan_create", "engagement.exit_planned")
def _(w):
    return lambda: exit_plan(w.relationship, w.owner)


@case("exit_complete", "engagement.exit_completed")
def _(w):
    plan = exit_plan(w.relationship, w.owner)
    return lambda: escalation.exit_complete(exit_plan=plan, by=w.owner)


@case("flags_refresh", "engagement.red_flags_changed")
def _(w):
    disclosure.request_create(
        relationship=w.relationship, by=w.owner, kind="question", text="Hours?", due_on=days_ago(40)
    )
    return lambda: escalation.flags_refresh(relationship=w.relationship, today=TODAY)


@case("flags_refresh:unchanged")
def _(w):
    return lambda: escalation.flags_refresh(relationship=w.relationship, today=TODAY)


def _together(w):
    """The buyer in a covenant with another member that buys from its exporter too, and a
    joint action the buyer proposed there."""
    from tests.covenant_world import buys, join_covenant, make_covenant, new_member

    covenant, _secretary = make_covenant()
    join_covenant(w.buyer, covenant)
    other, other_owner = new_member(covenant, "steinwerk-2", "Steinwerk Import GmbH")
    buys(other, other_owner, w.chain["exporter"])
    joint = collective.collective_propose(
        organisation=w.buyer, by=w.owner, facility=w.chain["exporter"], title="Dust together"
    )
    return joint, other, other_owner


@case("covenant_sharing_set", "engagement.covenant_sharing_set")
def _(w):
    _together(w)
    return lambda: collective.covenant_sharing_set(
        organisation=w.buyer, by=w.owner, count_when_few=True, named_to_members=False
    )


@case("collective_propose", "engagement.collective_proposed")
def _(w):
    joint, _other, _other_owner = _together(w)
    return lambda: collective.collective_propose(
        organisation=w.buyer, by=w.owner, facility=joint.facility, title="Wages together"
    )


@case("collective_join", "engagement.collective_joined")
def _(w):
    joint, other, other_owner = _together(w)
    return lambda: collective.collective_join(collective=joint, organisation=other, by=other_owner)


@case("collective_naming_set", "engagement.collective_naming_set")
def _(w):
    joint, _other, _other_owner = _together(w)
    return lambda: collective.collective_naming_set(
        collective=joint, organisation=w.buyer, by=w.owner, named=True
    )


@case("collective_leave", "engagement.collective_left")
def _(w):
    joint, _other, _other_owner = _together(w)
    return lambda: collective.collective_leave(collective=joint, organisation=w.buyer, by=w.owner)


@case("collective_close", "engagement.collective_closed")
def _(w):
    joint, _other, _other_owner = _together(w)
    return lambda: collective.collective_close(
        collective=joint, organisation=w.buyer, by=w.owner, note="Wet cutting in place"
    )


@case("joint_action_add", "engagement.joint_action_added")
def _(w):
    joint, _other, _other_owner = _together(w)
    return lambda: collective.joint_action_add(
        collective=joint, organisation=w.buyer, by=w.owner, title="Wet saws"
    )


@case("joint_action_done", "engagement.joint_action_done")
def _(w):
    joint, _other, _other_owner = _together(w)
    step = collective.joint_action_add(
        collective=joint, organisation=w.buyer, by=w.owner, title="Wet saws"
    )
    return lambda: collective.joint_action_done(action=step, organisation=w.buyer, by=w.owner)


def service_names() -> list[str]:
    return sorted(
        name
        for module in SERVICE_MODULES
        for name, fn in inspect.getmembers(module, inspect.isfunction)
        if fn.__module__ == module.__name__ and not name.startswith("_") and name not in HELPERS
    )


def test_every_engagement_service_has_an_audit_case():
    assert service_names() == sorted({name.split(":")[0] for name in CASES})


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_service_writes_its_audit_entries(
    name, buyer, owner, chain, supplier_org, supplier_user, relationship, plan, action
):
    setup, verbs = CASES[name]
    call = setup(SimpleNamespace(**locals()))
    before = last_entry_id()
    call()
    assert new_entries(before) == verbs
