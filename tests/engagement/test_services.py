"""Engagement services: the audit log, plans from the guidance's models, evidence back to risk,
no zero tolerance, remediation after exit, escalation, files, due dates and purchasing."""

import inspect
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from stonebridge.audit.models import Entry
from stonebridge.engagement import flags, queries
from stonebridge.engagement.models import (
    Action,
    Attachment,
    Measure,
    Relationship,
    Update,
)
from stonebridge.engagement.services import (
    attachments,
    disclosure,
    escalation,
    measures,
    notices,
    plans,
    relationships,
    support,
)
from stonebridge.notifications.models import Notification
from stonebridge.risk import services as risk
from stonebridge.risk.models import Evidence, Score

TODAY = timezone.localdate()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def days_ago(days: int) -> date:
    return TODAY - timedelta(days=days)


@pytest.fixture
def relationship(buyer, owner, chain, supplier_org, supplier_user) -> Relationship:
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["exporter"], supplier=supplier_org
    )
    return relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)


@pytest.fixture
def plan(relationship, owner):
    return plans.plan_create(relationship=relationship, by=owner, title="Dust control")


def new_action(plan, by, kind="corrective", issue="OHS", due_on=None, **values) -> Action:
    return plans.action_create(
        plan=plan,
        by=by,
        title=values.pop("title", "Wet cutting at every station"),
        issue=issue,
        kind=kind,
        due_on=due_on or TODAY + timedelta(days=60),
        **values,
    )


@pytest.fixture
def action(plan, owner) -> Action:
    return new_action(plan, owner)


def outcome(action, by, baseline="66", indicator="weekly_hours") -> Measure:
    return measures.measure_add(
        action=action,
        by=by,
        kind="outcome",
        indicator=indicator,
        baseline=None if baseline is None else Decimal(baseline),
    )


def finding(buyer, owner, facility, indicator="OHS_SILICA", issue="OHS", **values) -> Evidence:
    return risk.evidence_record(
        organisation=buyer,
        by=owner,
        facility=facility,
        issue=issue,
        indicator=indicator,
        kind="finding",
        observed_on=values.pop("observed_on", days_ago(30)),
        source_type="audit",
        summary=values.pop("summary", "Dry cutting without dust extraction."),
        **values,
    )


def new_entries(since: int) -> list[str]:
    return sorted(Entry.objects.filter(id__gt=since).values_list("verb", flat=True))


def last_entry_id() -> int:
    return Entry.objects.order_by("-id").values_list("id", flat=True).first() or 0


# --- every service writes its audit entry -----------------------------------------------------

HELPERS = {"buyer_people", "supplier_people", "tell", "log", "check_open", "check_files"}
SERVICE_MODULES = (
    relationships,
    plans,
    measures,
    support,
    disclosure,
    escalation,
    notices,
    attachments,
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


@case("sharing_answer", "engagement.sharing_answered")
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


@case("code_acknowledge", "engagement.code_acknowledged")
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


@case("update_post", "engagement.update_posted")
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


@case("reading_record:by_supplier", "engagement.reading_recorded")
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


@case("due_date_propose", "engagement.due_date_proposed")
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


@case("request_answer", "engagement.request_answered")
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


@case("finding_disclose", "risk.evidence_recorded")
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


ORDER = {
    "reference": "PO-2026-001",
    "placed_on": date(2026, 3, 2),
    "delivery_due_on": date(2026, 4, 1),  # 30 days
    "payment_days": 30,
    "quantity": Decimal(800),
    "unit": "m2",
    "unit_price": Decimal("9.50"),
    "labour_cost_per_unit": Decimal("11.00"),
    "currency": "EUR",
}


def exit_plan(relationship, by):
    return escalation.exit_plan_create(
        relationship=relationship,
        by=by,
        reason="Prison labour in the quarry of origin.",
        decided_on=TODAY - timedelta(days=90),
        notice_days=90,
        workers_affected=40,
        wind_down="Orders placed are delivered; no new orders after notice.",
    )


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


# --- plans from the guidance's engagement models ----------------------------------------------


@pytest.fixture
def ohs_plan(relationship, owner):
    return plans.plan_create(
        relationship=relationship, by=owner, programme="ohs_system", starts_on=date(2026, 3, 1)
    )


def test_a_programme_plan_carries_the_templates_actions_due_after_the_start(ohs_plan):
    actions = list(ohs_plan.actions.order_by("due_on"))
    assert [(a.title_zh, a.issue_id, a.kind, a.due_on) for a in actions] == [
        ("成立安全委员会，排查每个工位的危害", "OHS", "corrective", date(2026, 4, 30)),
        ("所有干切工位改为湿法作业并安装除尘设备", "OHS", "corrective", date(2026, 8, 28)),
    ]
    assert ohs_plan.title_zh == "职业健康安全管理体系"


def test_a_programme_plan_carries_the_templates_milestones_with_their_dates(ohs_plan):
    milestones = Measure.objects.filter(action__plan=ohs_plan, kind="milestone")
    assert sorted((m.due_on, m.title_zh) for m in milestones) == [
        (date(2026, 3, 31), "安全委员会成立，并有工人代表参加"),
        (date(2026, 4, 30), "完成各工序、各工位的危害清单"),
        (date(2026, 7, 29), "除尘设备安装完成"),
        (date(2026, 8, 28), "接尘工人完成培训和职业健康检查"),
    ]


def test_a_programme_plan_measures_outcomes_in_workers_conditions(ohs_plan):
    outcomes = Measure.objects.filter(action__plan=ohs_plan, kind="outcome")
    assert sorted((m.indicator, m.lower_is_better) for m in outcomes) == [
        ("health_check_share", False),
        ("recordable_injuries", True),
        ("respirable_dust", True),
    ]
    assert not queries.plan_progress(ohs_plan).only_milestones


def test_an_unknown_programme_is_refused(relationship, owner):
    with pytest.raises(ValidationError):
        plans.plan_create(relationship=relationship, by=owner, programme="zero_tolerance")


def test_the_supplier_is_told_of_the_shared_plan_with_a_link_to_its_workspace(
    ohs_plan, supplier_user
):
    notification = Notification.objects.get(user=supplier_user, kind="plan_shared")
    assert notification.url == f"/o/haichen/workspace/plans/{ohs_plan.pk}/"
    # The plan is named in Chinese for the supplier; the sentence around it is translated
    # once the catalogue has it.
    assert "职业健康安全管理体系" in notification.message


# --- evidence back to risk --------------------------------------------------------------------


def priority(buyer, facility, issue) -> float:
    risk.recompute_facility(facility_id=facility.pk, organisation_id=buyer.pk)
    return Score.objects.get(organisation=buyer, facility=facility, issue_id=issue).priority


def test_a_verified_action_is_recorded_as_remediation_of_its_finding(buyer, owner, chain, plan):
    silica = finding(buyer, owner, chain["exporter"])
    action = new_action(plan, owner, finding=silica)
    plans.action_verify(action=action, by=owner, note="Wet saws seen on a visit.")
    evidence = Evidence.objects.get(origin=f"engagement.action:{action.pk}")
    assert evidence.kind == "remediation"
    assert evidence.indicator.code == "OHS_SILICA"
    assert evidence.facility == chain["exporter"]
    assert evidence.summary == "Wet saws seen on a visit."


def test_a_verified_action_lowers_the_priority_of_the_risk_it_answered(buyer, owner, chain, plan):
    silica = finding(buyer, owner, chain["exporter"])
    action = new_action(plan, owner, finding=silica)
    before = priority(buyer, chain["exporter"], "OHS")
    plans.action_verify(action=action, by=owner)
    assert priority(buyer, chain["exporter"], "OHS") < before


def test_a_verified_action_without_a_finding_does_not_raise_the_priority(
    buyer, owner, chain, action
):
    before = priority(buyer, chain["exporter"], "OHS")
    plans.action_verify(action=action, by=owner)
    assert priority(buyer, chain["exporter"], "OHS") <= before


def test_a_supplier_reported_measurement_is_no_evidence_until_the_buyer_confirms_it(
    owner, supplier_user, action
):
    hours = outcome(action, owner)
    reading = measures.reading_record(
        measure=hours, by=supplier_user, by_supplier=True, measured_on=TODAY, value=Decimal(60)
    )
    assert not Evidence.objects.filter(origin=f"engagement.reading:{reading.pk}").exists()
    assert reading.confirmed_at is None


@pytest.mark.parametrize(
    ("indicator", "value", "improved"),
    [
        ("weekly_hours", "60", True),  # fewer hours: better
        ("weekly_hours", "70", False),
        ("contract_share", "70", True),  # more workers with a contract: better
        ("contract_share", "60", False),
    ],
)
def test_a_confirmed_measurement_is_outcome_evidence_judged_by_its_direction(
    owner, supplier_user, action, indicator, value, improved
):
    measure = outcome(action, owner, indicator=indicator)
    reading = measures.reading_record(
        measure=measure, by=supplier_user, by_supplier=True, measured_on=TODAY, value=Decimal(value)
    )
    measures.reading_confirm(reading=reading, by=owner)
    evidence = Evidence.objects.get(origin=f"engagement.reading:{reading.pk}")
    assert evidence.kind == "outcome"
    assert evidence.improved is improved


def test_outcome_evidence_counts_for_the_issue_its_indicator_shows(owner, supplier_user, action):
    # The action is about dust (OHS); weekly hours show progress on hours and wages.
    hours = outcome(action, owner, indicator="weekly_hours")
    measures.reading_record(
        measure=hours, by=owner, by_supplier=False, measured_on=TODAY, value=Decimal(58)
    )
    evidence = Evidence.objects.get(origin__startswith="engagement.reading:")
    assert evidence.issue_id == "HOURS_WAGES"


def test_a_measurement_cannot_be_confirmed_twice(owner, action):
    hours = outcome(action, owner)
    reading = measures.reading_record(
        measure=hours, by=owner, by_supplier=False, measured_on=TODAY, value=Decimal(58)
    )
    with pytest.raises(ValidationError):
        measures.reading_confirm(reading=reading, by=owner)


# --- no zero tolerance ------------------------------------------------------------------------


def state_imposed(**values):
    return {
        "issue": "FORCED_LABOUR",
        "indicator": "FL_STATE_PRISON",
        "summary": "Blocks come from a quarry worked by prisoners.",
        "observed_on": days_ago(10),
        **values,
    }


def raised(relationship) -> set[str]:
    return {flag.code for flag in queries.red_flags(relationship, TODAY) if flag.raised}


def test_a_supplier_disclosing_prison_labour_is_not_penalised(relationship, supplier_user):
    evidence = disclosure.finding_disclose(
        relationship=relationship, by=supplier_user, **state_imposed()
    )
    assert evidence.disclosed_by_supplier
    assert evidence.kind == "finding"
    assert raised(relationship) == set()


def test_the_disclosure_shows_among_the_facts_against_the_flag(relationship, supplier_user):
    disclosure.finding_disclose(relationship=relationship, by=supplier_user, **state_imposed())
    (irremediable,) = [
        f for f in queries.red_flags(relationship, TODAY) if f.code == flags.IRREMEDIABLE
    ]
    assert [fact.code for fact in irremediable.evidence_against] == ["disclosed"]


def test_the_same_finding_from_the_buyers_audit_raises_the_irremediable_flag(
    buyer, owner, chain, relationship
):
    evidence = finding(buyer, owner, chain["exporter"], **state_imposed())
    assert not evidence.disclosed_by_supplier
    assert raised(relationship) == {flags.IRREMEDIABLE}


def test_an_audit_finding_up_the_chain_raises_the_irremediable_flag(
    buyer, owner, chain, relationship
):
    finding(buyer, owner, chain["quarry"], **state_imposed())
    assert flags.IRREMEDIABLE in raised(relationship)


def test_gaps_in_the_map_alone_raise_no_flag(relationship):
    # The chain marks an undisclosed sub-contractor under the processor: ask first.
    assert queries.record_of(relationship, TODAY).undisclosed_subcontractors == 1
    assert raised(relationship) == set()


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


# --- updates with files -----------------------------------------------------------------------


def test_an_executable_posing_as_a_pdf_is_refused_and_nothing_is_written(action, supplier_user):
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00", "application/pdf")
    before = last_entry_id()
    with pytest.raises(ValidationError) as refused:
        plans.update_post(
            action=action, by=supplier_user, by_supplier=True, text="见附件。", files=[fake]
        )
    assert "report.pdf" in str(refused.value)
    assert not Update.objects.exists()
    assert new_entries(before) == []


def test_a_photo_is_stored_with_the_update_and_counted_in_the_log(action, supplier_user):
    photo = SimpleUploadedFile("dust-extraction.png", PNG, "image/png")
    before = last_entry_id()
    update = plans.update_post(
        action=action, by=supplier_user, by_supplier=True, text="除尘设备已安装。", files=[photo]
    )
    (attachment,) = Attachment.objects.filter(update=update)
    assert attachment.name == "dust-extraction.png"
    assert attachment.content_type == "image/png"
    assert bytes(attachment.content) == PNG
    assert attachment.size == len(PNG)
    entry = Entry.objects.get(id__gt=before)
    assert entry.changes["files"] == 1


# --- due dates --------------------------------------------------------------------------------


def propose(action, supplier_user, days=30):
    return plans.due_date_propose(
        action=action,
        by=supplier_user,
        proposed_due_on=action.due_on + timedelta(days=days),
        reason="除尘设备到货晚了。",
    )


def test_an_accepted_proposal_moves_the_due_date(action, owner, supplier_user):
    wanted = action.due_on + timedelta(days=30)
    plans.due_date_decide(change=propose(action, supplier_user), by=owner, accept=True)
    action.refresh_from_db()
    assert action.due_on == wanted


def test_a_declined_proposal_keeps_the_due_date(action, owner, supplier_user):
    due = action.due_on
    plans.due_date_decide(change=propose(action, supplier_user), by=owner, accept=False)
    action.refresh_from_db()
    assert action.due_on == due


def test_a_second_proposal_waits_until_the_first_is_decided(action, supplier_user):
    propose(action, supplier_user)
    with pytest.raises(ValidationError):
        propose(action, supplier_user, days=45)


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
