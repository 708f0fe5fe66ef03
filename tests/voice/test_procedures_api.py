"""The procedure, its health and remedies over the API: each for its own side only."""

from datetime import date
from decimal import Decimal

import pytest

from stonebridge.accounts.services import api_token_create
from stonebridge.voice.models import Route
from stonebridge.voice.services import procedures, remedies

from ..conftest import client_for
from .conftest import submit


def get(user, url):
    token = api_token_create(user=user, name="test")[1]
    return client_for(None).get(url, HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def procedure(supplier_org, supplier_user):
    made = procedures.procedure_save(
        organisation=supplier_org, by=supplier_user, acknowledge_days=3, respond_days=15
    )
    procedures.committee_member_add(
        organisation=supplier_org,
        by=supplier_user,
        name="林秀英",
        role="worker",
        chosen="elected",
        since=date(2025, 1, 1),
    )
    procedures.meeting_record(
        organisation=supplier_org,
        by=supplier_user,
        held_on=date(2025, 6, 1),
        workers_present=20,
        topics="高温",
        minutes="纪要",
    )
    return made


def test_the_supplier_reads_its_procedure_with_its_committee(procedure, supplier_user):
    body = get(supplier_user, "/api/organisations/haichen/workspace/voice/procedure").json()
    assert body["set_up"] is True
    assert body["respond_days"] == 15
    assert [m["name"] for m in body["committee"]] == ["林秀英"]


def test_a_procedure_not_set_up_answers_with_the_defaults(supplier_user):
    body = get(supplier_user, "/api/organisations/haichen/workspace/voice/procedure").json()
    assert body["set_up"] is False
    assert body["acknowledge_days"] == 7


def test_meetings_come_in_pages(procedure, supplier_user):
    body = get(supplier_user, "/api/organisations/haichen/workspace/voice/meetings").json()
    assert body["count"] == 1
    assert body["items"][0]["workers_present"] == 20


def test_a_buyer_cannot_read_the_suppliers_procedure(procedure, owner):
    url = "/api/organisations/haichen/workspace/voice/procedure"
    assert get(owner, url).status_code == 404


def test_a_buyer_working_with_the_supplier_gets_figures(channel, procedure, engaged, owner):
    submit(channel, route=Route.COMMITTEE, consent_abroad=False)
    response = get(owner, f"/api/organisations/noordsteen/voice/health/{engaged.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["cases"] == 1
    assert body["satisfied_share"] is None
    assert "description" not in body


def test_another_buyer_gets_no_figures(engaged, other_buyer):
    url = f"/api/organisations/steinwerk/voice/health/{engaged.pk}"
    assert get(other_buyer, url).status_code == 404


def test_a_period_that_ends_before_it_starts_is_invalid(engaged, owner):
    url = f"/api/organisations/noordsteen/voice/health/{engaged.pk}"
    url += "?start=2026-05-01&end=2026-01-01"
    assert get(owner, url).status_code == 422


def test_remedies_for_their_owner_and_read_by_the_supplier(
    buyer, owner, facility, engaged, supplier_user, other_buyer
):
    remedy = remedies.remedy_open(
        organisation=buyer,
        by=owner,
        facility=facility,
        kind="back_pay",
        description="补发工资",
        workers_covered=5,
        paid_by="supplier",
        amount=Decimal("1000"),
        currency="CNY",
    )
    remedies.milestone_add(remedy=remedy, by=owner, title="发放", due_on=date(2026, 2, 1))
    mine = get(owner, "/api/organisations/noordsteen/voice/remedies").json()
    assert mine["items"][0]["milestones"][0]["title"] == "发放"
    theirs = get(supplier_user, "/api/organisations/haichen/voice/remedies").json()
    assert theirs["count"] == 1
    others = get(other_buyer, "/api/organisations/steinwerk/voice/remedies").json()
    assert others["count"] == 0
