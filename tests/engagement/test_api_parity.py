"""Purchasing practices and the supplier's workspace in the API, with the pages' checks."""

from datetime import date, timedelta

import pytest

from stonebridge.accounts.models import Role
from stonebridge.accounts.services import api_token_create
from stonebridge.engagement.models import ActionStatus, DueDateChange, Order
from stonebridge.engagement.services import plans, relationships
from stonebridge.risk.models import Evidence

from ..conftest import client_for, member

SOON = date.today() + timedelta(days=30)
ORDER = {
    "reference": "PO-7",
    "placed_on": "2026-01-05",
    "delivery_due_on": "2026-01-26",
    "changes": 0,
    "payment_days": 90,
    "quantity": "120",
    "unit": "m2",
    "unit_price": "38.50",
    "currency": "EUR",
}


def call(user, method, url, body=None):
    token = api_token_create(user=user, name="t")[1]
    return getattr(client_for(None), method)(
        url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


@pytest.fixture
def asked(buyer, owner, chain, supplier_org):
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["processor"], supplier=supplier_org
    )
    plan = plans.plan_create(relationship=relationship, by=owner, title="Hours")
    action = plans.action_create(plan=plan, by=owner, title="Rest day", issue="OHS", due_on=SOON)
    return relationship, action


def test_a_buyer_records_lists_and_changes_orders(buyer, owner, asked):
    relationship, _action = asked
    base = f"/api/organisations/{buyer.slug}"
    response = call(owner, "post", f"{base}/relationships/{relationship.pk}/orders", ORDER)
    assert response.status_code == 201, response.content
    assert response.json()["lead_time_days"] == 21
    order_id = response.json()["id"]
    changed = {
        **ORDER,
        "delivery_due_on": "2026-01-19",
        "changes": 1,
        "last_changed_on": "2026-01-10",
    }
    response = call(owner, "put", f"{base}/orders/{order_id}", changed)
    assert response.status_code == 200, response.content
    assert Order.objects.get().changes == 1
    listed = call(owner, "get", f"{base}/relationships/{relationship.pk}/orders").json()
    assert [o["lead_time_days"] for o in listed["items"]] == [14]
    late = {**ORDER, "delivery_due_on": "2026-01-01"}
    response = call(owner, "put", f"{base}/orders/{order_id}", late)
    assert response.status_code == 422


def test_orders_are_closed_to_other_buyers_suppliers_and_viewers(
    buyer, asked, other_buyer, supplier_user, viewer
):
    relationship, _action = asked
    url = f"/api/organisations/{buyer.slug}/relationships/{relationship.pk}/orders"
    assert call(other_buyer, "post", url, ORDER).status_code == 404
    assert call(supplier_user, "get", url).status_code == 404
    assert call(viewer, "post", url, ORDER).status_code == 403
    assert not Order.objects.exists()


def test_a_supplier_accepts_then_reports_proposes_a_date_and_discloses(
    supplier_org, supplier_user, asked
):
    relationship, action = asked
    base = f"/api/organisations/{supplier_org.slug}/workspace"
    report = {"text": "Rest day posted.", "status": "reported_done"}
    # Nothing reaches the supplier before it accepts, as on its pages.
    assert (
        call(supplier_user, "post", f"{base}/actions/{action.pk}/reports", report).status_code
        == 404
    )
    assert call(supplier_user, "get", f"{base}/actions").json()["items"] == []
    response = call(
        supplier_user, "post", f"{base}/relationships/{relationship.pk}/sharing", {"accept": True}
    )
    assert response.status_code == 200
    assert response.json()["accepted"] is True
    response = call(supplier_user, "post", f"{base}/actions/{action.pk}/reports", report)
    assert response.status_code == 201
    action.refresh_from_db()
    assert action.status == ActionStatus.REPORTED_DONE
    proposal = {"proposed_due_on": str(SOON + timedelta(days=14)), "reason": "Machine late."}
    response = call(supplier_user, "post", f"{base}/actions/{action.pk}/due-date", proposal)
    assert response.status_code == 201
    assert DueDateChange.objects.get().reason == "Machine late."
    found = {"issue": "OHS", "summary": "Night shifts in May.", "observed_on": "2026-05-01"}
    url = f"{base}/relationships/{relationship.pk}/disclosures"
    assert call(supplier_user, "post", url, found).status_code == 201
    assert Evidence.objects.get(disclosed_by_supplier=True).summary == "Night shifts in May."


def test_the_supplier_may_not_mark_an_action_verified(supplier_org, supplier_user, asked):
    relationship, action = asked
    relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)
    url = f"/api/organisations/{supplier_org.slug}/workspace/actions/{action.pk}/reports"
    response = call(supplier_user, "post", url, {"text": "Done.", "status": "verified"})
    assert response.status_code == 422


def test_the_workspace_api_is_closed_to_buyers_and_to_the_suppliers_viewers(
    supplier_org, supplier_user, owner, asked
):
    relationship, action = asked
    relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)
    url = f"/api/organisations/{supplier_org.slug}/workspace/actions/{action.pk}/reports"
    assert call(owner, "post", url, {"text": "x"}).status_code == 404
    supplier_viewer = member(supplier_org, Role.VIEWER)
    assert call(supplier_viewer, "post", url, {"text": "x"}).status_code == 403
    assert not action.updates.exists()
