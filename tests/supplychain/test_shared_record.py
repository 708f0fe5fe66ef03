"""The shared record: a change by anyone shows in the log of every buyer whose chain holds the
facility and can be put back; the editor is named only when it is the facility's own supplier
or staff."""

from decimal import Decimal

import pytest
from django.test import Client

from stonebridge.accounts.services import api_token_create
from stonebridge.audit.models import Entry
from stonebridge.engagement.services import relationships
from stonebridge.supplychain import services as supplychain
from stonebridge.supplychain.models import Facility

from ..conftest import client_for

NEW_NAME = "南安市水头新名字石材厂"


def api_for(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='t')[1]}")


@pytest.fixture
def held(chain, other_buyer_org, other_buyer):
    """The other buyer buys directly from the processor the buyer's chain holds at tier 2."""
    supplychain.sourcing_set(
        organisation=other_buyer_org,
        by=other_buyer,
        facility=chain["processor"],
        annual_volume=Decimal(50),
    )
    return chain["processor"]


def rename(user, organisation, facility, name=NEW_NAME):
    return api_for(user).patch(
        f"/api/organisations/{organisation.slug}/facilities/{facility.pk}",
        {"name_zh": name},
        content_type="application/json",
    )


def test_a_change_shows_in_every_holders_log_without_naming_the_buyer(
    held, buyer, owner, other_buyer_org, other_buyer
):
    assert rename(owner, buyer, held).status_code == 200
    log = client_for(other_buyer).get(f"/o/{other_buyer_org.slug}/audit/").content.decode()
    assert NEW_NAME in log
    assert "another organisation" in log
    assert owner.name not in log
    assert buyer.name not in log
    page = client_for(other_buyer).get(f"/o/{other_buyer_org.slug}/facilities/{held.pk}/")
    assert "another organisation" in page.content.decode()


def test_a_holder_puts_a_change_back(held, buyer, owner, other_buyer_org, other_buyer):
    old_name = held.name_zh
    rename(owner, buyer, held)
    entry = Entry.objects.get(organisation=other_buyer_org, verb="facility.changed_elsewhere")
    response = client_for(other_buyer).post(
        f"/o/{other_buyer_org.slug}/facilities/{held.pk}/changes/{entry.pk}/revert/"
    )
    assert response.status_code == 302
    assert Facility.objects.get(pk=held.pk).name_zh == old_name
    # The buyer who made the first change sees it put back, by another organisation.
    back = Entry.objects.filter(organisation=buyer, verb="facility.changed_elsewhere").get()
    assert back.actor is None
    assert back.changes["name_zh"] == [NEW_NAME, old_name]


def test_a_change_made_again_since_is_not_put_back(
    held, buyer, owner, other_buyer_org, other_buyer
):
    rename(owner, buyer, held)
    rename(owner, buyer, held, name="又一个名字")
    first = Entry.objects.filter(
        organisation=other_buyer_org, verb="facility.changed_elsewhere"
    ).earliest("pk")
    client = client_for(other_buyer)
    client.post(f"/o/{other_buyer_org.slug}/facilities/{held.pk}/changes/{first.pk}/revert/")
    assert Facility.objects.get(pk=held.pk).name_zh == "又一个名字"
    page = client.get(f"/o/{other_buyer_org.slug}/facilities/{held.pk}/").content.decode()
    assert "Changed again since" in page


def test_an_outsider_cannot_put_back_another_buyers_log_entry(
    held, buyer, owner, other_buyer_org, supplier_org, supplier_user
):
    rename(owner, buyer, held)
    entry = Entry.objects.get(organisation=other_buyer_org, verb="facility.changed_elsewhere")
    response = client_for(supplier_user).post(
        f"/o/{supplier_org.slug}/facilities/{held.pk}/changes/{entry.pk}/revert/"
    )
    assert response.status_code == 404
    assert Facility.objects.get(pk=held.pk).name_zh == NEW_NAME


def test_the_facilitys_own_supplier_is_named(
    held, buyer, owner, other_buyer_org, other_buyer, supplier_org, supplier_user
):
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=held, supplier=supplier_org
    )
    # Not yet accepted: not its own site, and a record others rely on.
    assert rename(supplier_user, supplier_org, held).status_code == 403
    relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)
    assert rename(supplier_user, supplier_org, held).status_code == 200
    for holder, person in ((buyer, owner), (other_buyer_org, other_buyer)):
        entry = Entry.objects.get(organisation=holder, verb="facility.changed_elsewhere")
        assert entry.actor == supplier_user
        log = client_for(person).get(f"/o/{holder.slug}/audit/").content.decode()
        assert supplier_user.name in log


def test_staff_are_named(held, buyer, owner, other_buyer_org):
    owner.is_staff = True
    owner.save()
    rename(owner, buyer, held)
    entry = Entry.objects.get(organisation=other_buyer_org, verb="facility.changed_elsewhere")
    assert entry.actor == owner
