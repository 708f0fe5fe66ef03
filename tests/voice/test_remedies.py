"""Remedies: the buyer opens one, sets milestones, marks them done and verifies it; the supplier
it concerns reads it; and it all continues after the buyer ends the relationship."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from stonebridge.audit.models import Entry
from stonebridge.engagement.services import escalation
from stonebridge.voice.models import Remedy, RemedyState
from stonebridge.voice.services import remedies

from ..conftest import client_for
from .conftest import submit


@pytest.fixture
def remedy(buyer, owner, facility, engaged):
    return remedies.remedy_open(
        organisation=buyer,
        by=owner,
        facility=facility,
        kind="back_pay",
        description="补发2025年7月至9月少付的加班费。",
        workers_covered=37,
        paid_by="supplier",
        amount=Decimal("86400"),
        currency="cny",
    )


def _url(name, org, remedy=None):
    kwargs = {"org": org.slug}
    if remedy is not None:
        kwargs["remedy_id"] = remedy.pk
    return reverse(name, kwargs=kwargs)


def test_opening_a_remedy_is_logged_with_its_amount(remedy, buyer):
    entry = Entry.objects.get(organisation=buyer, verb="voice.remedy_opened")
    assert entry.changes["amount"] == "86400.00" or entry.changes["amount"] == "86400"
    assert remedy.currency == "CNY"


def test_an_amount_needs_a_currency(buyer, owner, facility):
    with pytest.raises(ValidationError) as error:
        remedies.remedy_open(
            organisation=buyer,
            by=owner,
            facility=facility,
            kind="back_pay",
            description="x",
            workers_covered=1,
            paid_by="buyer",
            amount=Decimal(100),
        )
    assert "currency" in error.value.message_dict


def test_a_remedy_links_only_a_case_sent_to_the_buyer(buyer, owner, facility, channel):
    from stonebridge.voice.models import Route

    committee_only, _secret = submit(channel, route=Route.COMMITTEE, consent_abroad=False)
    with pytest.raises(ValidationError) as error:
        remedies.remedy_open(
            organisation=buyer,
            by=owner,
            facility=facility,
            kind="back_pay",
            description="x",
            workers_covered=1,
            paid_by="buyer",
            case=committee_only,
        )
    assert "case" in error.value.message_dict
    mine, _secret = submit(channel)
    linked = remedies.remedy_open(
        organisation=buyer,
        by=owner,
        facility=facility,
        kind="back_pay",
        description="x",
        workers_covered=1,
        paid_by="buyer",
        case=mine,
    )
    assert linked.case == mine


def test_milestones_move_the_remedy_to_done(remedy, owner):
    first = remedies.milestone_add(remedy=remedy, by=owner, title="核对工资表", due_on=date.today())
    second = remedies.milestone_add(remedy=remedy, by=owner, title="发放", due_on=date.today())
    remedies.milestone_done(milestone=first, by=owner)
    remedy.refresh_from_db()
    assert remedy.state == RemedyState.IN_PROGRESS
    remedies.milestone_done(milestone=second, by=owner)
    remedy.refresh_from_db()
    assert remedy.state == RemedyState.DONE


def test_a_remedy_is_verified_only_once_every_milestone_is_done(remedy, owner):
    step = remedies.milestone_add(remedy=remedy, by=owner, title="发放", due_on=date.today())
    values = {"verified_by": "青禾咨询", "method": "核对银行流水", "verified_on": date.today()}
    with pytest.raises(ValidationError):
        remedies.remedy_verify(remedy=remedy, by=owner, **values)
    remedies.milestone_done(milestone=step, by=owner)
    remedies.remedy_verify(remedy=remedy, by=owner, **values)
    remedy.refresh_from_db()
    assert remedy.state == RemedyState.VERIFIED
    with pytest.raises(ValidationError):
        remedies.milestone_add(remedy=remedy, by=owner, title="再来", due_on=date.today())


def test_the_remedy_survives_the_end_of_the_relationship(remedy, engaged, owner, buyer):
    step = remedies.milestone_add(remedy=remedy, by=owner, title="发放", due_on=date.today())
    exit_plan = escalation.exit_plan_create(
        relationship=engaged,
        by=owner,
        reason="No improvement.",
        decided_on=timezone.localdate(),
        notice_days=0,
        workers_affected=40,
        wind_down="Last order delivered.",
    )
    escalation.exit_complete(exit_plan=exit_plan, by=owner)
    engaged.refresh_from_db()
    assert engaged.ended
    client = client_for(owner)
    assert list(client.get(_url("voice:remedies", buyer)).context["page"]) == [remedy]
    response = client.post(
        _url("voice:remedy_milestone_done", buyer, remedy), {"milestone": step.pk}
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.done_at is not None


def test_the_supplier_reads_the_remedy_even_after_the_exit(
    remedy, engaged, owner, supplier_org, supplier_user
):
    exit_plan = escalation.exit_plan_create(
        relationship=engaged,
        by=owner,
        reason="No improvement.",
        decided_on=timezone.localdate(),
        notice_days=0,
        workers_affected=40,
        wind_down="Last order delivered.",
    )
    escalation.exit_complete(exit_plan=exit_plan, by=owner)
    client = client_for(supplier_user)
    assert "补发" in client.get(_url("voice:remedy", supplier_org, remedy)).content.decode()
    step_url = _url("voice:remedy_milestone_add", supplier_org, remedy)
    response = client.post(step_url, {"title": "x", "due_on": "2026-01-01"})
    assert response.status_code == 404
    assert not remedy.milestones.exists()


def test_another_buyer_and_an_unrelated_supplier_see_nothing(remedy, other_buyer, other_buyer_org):
    assert (
        client_for(other_buyer).get(_url("voice:remedy", other_buyer_org, remedy)).status_code
        == 404
    )
    listing = client_for(other_buyer).get(_url("voice:remedies", other_buyer_org))
    assert "补发" not in listing.content.decode()


def test_the_list_filters_by_state_and_overdue_milestones(remedy, owner, buyer, facility):
    other = remedies.remedy_open(
        organisation=buyer,
        by=owner,
        facility=facility,
        kind="medical",
        description="职业病体检",
        workers_covered=12,
        paid_by="shared",
    )
    remedies.milestone_add(
        remedy=other, by=owner, title="体检", due_on=date.today() - timedelta(days=3)
    )
    client = client_for(owner)
    late = client.get(_url("voice:remedies", buyer) + "?overdue=on")
    assert list(late.context["page"]) == [other]
    medical = client.get(_url("voice:remedies", buyer) + "?kind=back_pay")
    assert list(medical.context["page"]) == [remedy]


def test_an_empty_list_says_what_a_remedy_is_for(buyer, owner):
    page = client_for(owner).get(_url("voice:remedies", buyer))
    assert page.status_code == 200
    assert not page.context["page"].object_list


def test_a_remedy_is_opened_through_the_form(buyer, owner, facility, engaged):
    response = client_for(owner).post(
        _url("voice:remedy_new", buyer),
        {
            "facility": facility.pk,
            "kind": "reinstatement",
            "description": "恢复被解雇员工的工作。",
            "workers_covered": 1,
            "paid_by": "supplier",
            "amount": "",
            "currency": "",
        },
    )
    made = Remedy.objects.get()
    assert response.status_code == 302
    assert made.relationship == engaged


def test_the_form_shows_a_missing_currency_on_its_field(buyer, owner, facility, engaged):
    response = client_for(owner).post(
        _url("voice:remedy_new", buyer),
        {
            "facility": facility.pk,
            "kind": "back_pay",
            "description": "x",
            "workers_covered": 3,
            "paid_by": "supplier",
            "amount": "100",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["currency"]
    assert not Remedy.objects.exists()


def test_verification_through_the_form(remedy, owner, buyer):
    response = client_for(owner).post(
        _url("voice:remedy_verify", buyer, remedy),
        {"verified_by": "青禾咨询", "method": "抽查员工", "verified_on": "2026-01-05"},
    )
    assert response.status_code == 302
    remedy.refresh_from_db()
    assert remedy.state == RemedyState.VERIFIED
