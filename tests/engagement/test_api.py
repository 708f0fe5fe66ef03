from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from stonebridge.accounts.services import api_token_create
from stonebridge.engagement.models import Action, Relationship
from stonebridge.engagement.services import disclosure, plans, relationships
from stonebridge.risk.models import Evidence


def client_with_token(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='t')[1]}")


@pytest.fixture
def api(owner):
    return client_with_token(owner)


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


@pytest.fixture
def base(buyer):
    return f"/api/organisations/{buyer.slug}"


@pytest.fixture
def relationship(buyer, owner, chain, supplier_org, supplier_user) -> Relationship:
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["exporter"], supplier=supplier_org
    )
    return relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)


@pytest.fixture
def plan(relationship, owner):
    return plans.plan_create(relationship=relationship, by=owner, title="Dust control")


def action_in(plan, owner, kind="corrective", days=60):
    return plans.action_create(
        plan=plan,
        by=owner,
        title="Install wet cutting",
        issue="OHS",
        kind=kind,
        due_on=timezone.localdate() + timedelta(days=days),
    )


def test_a_relationship_gets_a_plan_from_a_programme_with_its_actions_and_measures(
    api, base, chain, supplier_org
):
    created = post(
        api,
        f"{base}/relationships",
        # Not linked to the chain: named once the search, as on the page, finds it.
        {"facility_id": chain["exporter"].pk, "supplier": supplier_org.slug, "find": "Haichen"},
    )
    assert created.status_code == 201, created.content
    relationship = created.json()
    assert (relationship["status"], relationship["supplier"]) == ("engaged", "haichen")
    assert relationship["improvement_period_days"] == 365

    url = f"{base}/relationships/{relationship['id']}/plans"
    made = post(api, url, {"programme": "ohs_system"})
    assert made.status_code == 201, made.content
    plan = api.get(f"{base}/plans/{made.json()['id']}").json()
    assert (plan["title"], plan["title_zh"]) == (
        "Occupational health and safety management system",
        "职业健康安全管理体系",
    )
    assert plan["facility_id"] == chain["exporter"].pk
    assert len(plan["actions"]) == 2
    assert {a["issue"] for a in plan["actions"]} == {"OHS"}
    measures = [m for a in plan["actions"] for m in a["measures"]]
    assert {m["indicator"] for m in measures if m["kind"] == "outcome"} == {
        "recordable_injuries",
        "respirable_dust",
        "health_check_share",
    }
    assert sum(m["kind"] == "milestone" for m in measures) == 4
    assert plan["only_milestones"] is False

    detail = api.get(f"{base}/relationships/{relationship['id']}").json()
    assert (detail["plans"], detail["open_actions"]) == (1, 2)
    assert api.get(url).json()["count"] == 1


def test_the_relationship_shows_who_acknowledged_the_code(
    api, base, buyer, owner, relationship, supplier_user
):
    code = relationships.code_publish(
        organisation=buyer,
        by=owner,
        title="Supplier code",
        text_en="No forced labour.",
        text_zh="禁止强迫劳动。",
    )
    commitment = relationships.code_send(relationship=relationship, by=owner, code=code)
    url = f"{base}/relationships/{relationship.pk}"
    (sent,) = api.get(url).json()["commitments"]
    assert (sent["code_version"], sent["acknowledged_at"], sent["acknowledged_by"]) == (
        1,
        None,
        None,
    )
    relationships.code_acknowledge(commitment=commitment, by=supplier_user)
    (acknowledged,) = api.get(url).json()["commitments"]
    assert acknowledged["acknowledged_at"] is not None
    assert acknowledged["acknowledged_by"] == str(supplier_user)


def test_a_plan_that_measures_no_outcome_says_so(api, base, plan, owner):
    action = action_in(plan, owner)
    added = post(
        api,
        f"{base}/actions/{action.pk}/measures",
        {"kind": "milestone", "title": "Saws converted"},
    )
    assert added.status_code == 201, added.content
    assert api.get(f"{base}/plans/{plan.pk}").json()["only_milestones"] is True


def test_a_reading_by_the_buyer_counts_at_once_as_an_outcome_in_the_register(
    api, base, plan, owner
):
    action = action_in(plan, owner)
    measure = post(
        api,
        f"{base}/actions/{action.pk}/measures",
        {"kind": "outcome", "indicator": "weekly_hours", "baseline": "66"},
    ).json()
    assert (measure["unit"], measure["lower_is_better"]) == ("h", True)
    reading = post(
        api,
        f"{base}/measures/{measure['id']}/readings",
        {"measured_on": timezone.localdate().isoformat(), "value": "58"},
    )
    assert reading.status_code == 201, reading.content
    assert reading.json()["by_supplier"] is False
    assert reading.json()["confirmed_at"] is not None
    outcome = Evidence.objects.get(origin=f"engagement.reading:{reading.json()['id']}")
    assert (outcome.kind, outcome.improved, outcome.issue_id) == ("outcome", True, "HOURS_WAGES")


def test_an_action_with_an_unknown_issue_code_is_a_field_error(api, base, plan):
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = post(
        api,
        f"{base}/plans/{plan.pk}/actions",
        {"title": "Dust masks", "issue": "DUST", "due_on": due},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "issue"
    assert not Action.objects.exists()


def test_an_action_with_an_impossible_due_date_is_a_field_error(api, base, plan):
    response = post(
        api,
        f"{base}/plans/{plan.pk}/actions",
        {"title": "Dust masks", "issue": "OHS", "due_on": "2026-02-30"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "due_on"


def test_an_action_is_created_with_its_owner_at_the_supplier(
    api, base, plan, supplier_user, other_buyer
):
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    payload = {"title": "Dust masks", "issue": "OHS", "due_on": due, "kind": "preventive"}
    created = post(
        api, f"{base}/plans/{plan.pk}/actions", {**payload, "supplier_owner_id": supplier_user.pk}
    )
    assert created.status_code == 201, created.content
    assert created.json()["supplier_owner_id"] == supplier_user.pk
    assert created.json()["relationship_id"] == plan.relationship_id
    stranger = post(
        api, f"{base}/plans/{plan.pk}/actions", {**payload, "supplier_owner_id": other_buyer.pk}
    )
    assert stranger.status_code == 422
    assert stranger.json()["errors"][0]["field"] == "supplier_owner"


def test_support_cannot_be_linked_to_an_action_of_another_relationship(
    api, base, buyer, owner, chain, plan
):
    other = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["processor"]
    )
    elsewhere = action_in(plans.plan_create(relationship=other, by=owner, title="Wages"), owner)
    mine = action_in(plan, owner)
    url = f"{base}/relationships/{plan.relationship_id}/support"
    payload = {"kind": "training", "description": "Dust training.", "given_on": "2026-01-05"}
    response = post(api, url, {**payload, "actions": [mine.pk, elsewhere.pk]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "actions"
    recorded = post(api, url, {**payload, "actions": [mine.pk]})
    assert recorded.status_code == 201, recorded.content
    assert recorded.json()["actions"] == [mine.pk]
    assert api.get(url).json()["items"][0]["actions"] == [mine.pk]


def test_verifying_an_action_records_remediation_in_the_register(api, base, plan, owner):
    action = action_in(plan, owner)
    response = post(api, f"{base}/actions/{action.pk}/verify", {"note": "Saw it on a visit."})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "verified"
    evidence = Evidence.objects.get(origin=f"engagement.action:{action.pk}")
    assert (evidence.kind, evidence.summary) == ("remediation", "Saw it on a visit.")
    again = post(api, f"{base}/actions/{action.pk}/verify")
    assert again.status_code == 422


def test_refusal_to_engage_is_raised_for_an_ignored_request_and_falls_once_answered(
    api, base, relationship, owner, supplier_user
):
    request = disclosure.request_create(
        relationship=relationship,
        by=owner,
        kind="question",
        text="How many workers live in the dormitory?",
        due_on=timezone.localdate() - timedelta(days=45),
    )
    url = f"{base}/relationships/{relationship.pk}/red-flags"
    body = api.get(url).json()
    assert [f["code"] for f in body["flags"]] == [
        "refusal_to_engage",
        "refusal_of_transparency",
        "no_improvement",
        "systematic_irremediable",
    ]
    refusal = body["flags"][0]
    assert refusal["raised"] is True
    assert refusal["evidence_for"][0]["ref"] == f"request:{request.pk}"
    assert "has had no answer" in refusal["evidence_for"][0]["text"]
    assert body["next_step"] == "reminder"

    disclosure.request_answer(request=request, by=supplier_user, answer="Twelve.")
    body = api.get(url).json()
    refusal = body["flags"][0]
    assert refusal["raised"] is False
    assert refusal["evidence_against"][0]["ref"] == f"request:{request.pk}"
    assert body["next_step"] is None


def test_escalation_changes_the_status_but_exit_needs_an_exit_plan(api, base, relationship):
    url = f"{base}/relationships/{relationship.pk}/escalations"
    today = timezone.localdate().isoformat()
    suspended = post(api, url, {"step": "suspend_orders", "taken_on": today})
    assert suspended.status_code == 201, suspended.content
    assert suspended.json()["relationship_status"] == "orders_suspended"
    exit_step = post(api, url, {"step": "exit", "taken_on": today})
    assert exit_step.status_code == 422
    assert exit_step.json()["errors"][0]["field"] == "step"


def test_after_exit_remediation_stays_open_and_listed(api, base, plan, owner):
    corrective = action_in(plan, owner)
    remediation = action_in(plan, owner, kind="remediation")
    url = f"{base}/relationships/{plan.relationship_id}/exit-plan"
    assert api.get(url).json() == {"exit_plan": None}
    made = post(
        api,
        url,
        {
            "reason": "Prison labour at the quarry.",
            "red_flags": ["systematic_irremediable"],
            "decided_on": (timezone.localdate() - timedelta(days=90)).isoformat(),
            "notice_days": 90,
            "workers_affected": 40,
            "wind_down": "Orders halve each month.",
        },
    )
    assert made.status_code == 201, made.content
    assert made.json()["red_flags"] == ["systematic_irremediable"]
    assert api.get(url).json()["exit_plan"]["id"] == made.json()["id"]
    assert post(api, url, made.json()).status_code == 422  # one exit plan per relationship

    completed = post(api, f"{url}/complete")
    assert completed.status_code == 200, completed.content
    assert completed.json()["completed_at"] is not None
    detail = api.get(f"{base}/relationships/{plan.relationship_id}").json()
    assert (detail["status"], detail["open_actions"]) == ("exited", 1)
    still_open = api.get(f"{base}/actions", {"status": "open"}).json()
    assert [a["id"] for a in still_open["items"]] == [remediation.pk]
    corrective.refresh_from_db()
    assert corrective.status == "cancelled"


def test_completing_an_exit_that_was_never_planned_is_not_found(api, base, relationship):
    response = post(api, f"{base}/relationships/{relationship.pk}/exit-plan/complete")
    assert response.status_code == 404


def test_the_overdue_filter_lists_only_open_actions_past_due(api, base, plan, owner):
    late = action_in(plan, owner, days=-3)
    action_in(plan, owner, days=10)
    done = action_in(plan, owner, days=-5)
    plans.action_verify(action=done, by=owner)
    body = api.get(f"{base}/actions", {"overdue": "true"}).json()
    assert [a["id"] for a in body["items"]] == [late.pk]
    assert api.get(f"{base}/actions").json()["count"] == 3


def test_another_buyer_gets_404_on_the_relationship_and_its_plan(
    base, relationship, plan, other_buyer
):
    outsider = client_with_token(other_buyer)
    assert outsider.get(f"{base}/relationships/{relationship.pk}").status_code == 404
    # Through their own organisation's address, the other buyer's record stays hidden too.
    theirs = "/api/organisations/steinwerk"
    assert outsider.get(f"{theirs}/relationships/{relationship.pk}").status_code == 404
    assert outsider.get(f"{theirs}/plans/{plan.pk}").status_code == 404
    assert outsider.get(f"{theirs}/relationships").json()["count"] == 0


def test_the_lists_take_the_same_queries_however_long(
    api, base, buyer, owner, chain, plan, django_assert_num_queries
):
    for _ in range(2):
        action_in(plan, owner)
    api.get(f"{base}/actions")  # the token's first use is recorded once
    with django_assert_num_queries(4):  # token, membership, count, page
        assert api.get(f"{base}/actions").json()["count"] == 2
    for name in ("processor", "workshop"):
        relationships.relationship_create(organisation=buyer, by=owner, facility=chain[name])
    with django_assert_num_queries(4):
        assert api.get(f"{base}/relationships").json()["count"] == 3
