"""A supplier maps its own upstream and shares it with the buyers it works with; a buyer takes
it into its own chain."""

import pytest
from django.core.exceptions import ValidationError

from stonebridge.engagement.services import disclosure, relationships
from stonebridge.supplychain import upstream
from stonebridge.supplychain.models import ChainPosition, Facility, Link, UpstreamShare

from ..conftest import client_for


@pytest.fixture
def site(chain, buyer, owner, supplier_org, supplier_user):
    """The buyer's direct supplier, whose own account accepted to work with the buyer."""
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["exporter"], supplier=supplier_org
    )
    return relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)


def test_the_supplier_discloses_a_workshop_and_the_buyer_takes_it_into_its_chain(
    site, chain, buyer, owner, supplier_org, supplier_user
):
    supplier = client_for(supplier_user)
    url = f"/o/{supplier_org.slug}/workspace/{site.pk}/upstream/"
    assert url in supplier.get(f"/o/{supplier_org.slug}/workspace/").content.decode()
    response = supplier.post(
        url,
        {
            "customer": chain["exporter"].pk,
            "kind": "subcontracts",
            "name_zh": "惠安县螺阳精雕石材加工点",
            "facility_kind": "workshop",
            "province": "福建省",
        },
    )
    assert response.status_code == 302
    workshop = Facility.objects.get(name_zh="惠安县螺阳精雕石材加工点")
    # Shared, labelled, and not in the buyer's chain until it accepts.
    assert not Link.objects.filter(organisation=buyer, supplier=workshop).exists()
    buyer_client = client_for(owner)
    page = buyer_client.get(f"/o/{buyer.slug}/facilities/{chain['exporter'].pk}/")
    text = page.content.decode()
    assert "Upstream disclosed by the supplier" in text
    assert "惠安县螺阳精雕石材加工点" in text
    assert f"disclosed by {supplier_org.name_zh}" in text
    share = UpstreamShare.objects.get(buyer=buyer)
    accepted = buyer_client.post(
        f"/o/{buyer.slug}/facilities/{chain['exporter'].pk}/disclosed/{share.pk}/accept/"
    )
    assert accepted.status_code == 302
    link = Link.objects.get(organisation=buyer, supplier=workshop, customer=chain["exporter"])
    assert link.kind == "subcontracts"
    assert ChainPosition.objects.get(organisation=buyer, facility=workshop).tier == 2
    after = buyer_client.get(f"/o/{buyer.slug}/facilities/{chain['exporter'].pk}/").content
    assert "in your chain" in after.decode()
    assert "disclosed by the supplier" in after.decode()


def test_a_buyer_the_supplier_has_not_accepted_sees_nothing(
    site, chain, supplier_org, supplier_user, other_buyer_org, other_buyer
):
    disclosure.upstream_disclose(
        supplier=supplier_org,
        by=supplier_user,
        site=chain["exporter"],
        customer=chain["exporter"],
        facility=chain["workshop"],
        kind="subcontracts",
    )
    assert not UpstreamShare.objects.filter(buyer=other_buyer_org).exists()
    page = client_for(other_buyer).get(
        f"/o/{other_buyer_org.slug}/facilities/{chain['exporter'].pk}/"
    )
    assert "Upstream disclosed by the supplier" not in page.content.decode()
    share = UpstreamShare.objects.get()
    stolen = client_for(other_buyer).post(
        f"/o/{other_buyer_org.slug}/facilities/{chain['exporter'].pk}/disclosed/{share.pk}/accept/"
    )
    assert stolen.status_code == 404


def test_a_supplier_maps_only_its_own_sites_and_from_them(site, chain, supplier_org, supplier_user):
    with pytest.raises(ValidationError):
        disclosure.upstream_disclose(
            supplier=supplier_org,
            by=supplier_user,
            site=chain["processor"],
            customer=chain["processor"],
            facility=chain["quarry"],
            kind="supplies_blocks",
        )
    with pytest.raises(ValidationError):
        # The quarry supplies a facility the supplier has not put in its map.
        disclosure.upstream_disclose(
            supplier=supplier_org,
            by=supplier_user,
            site=chain["exporter"],
            customer=chain["processor"],
            facility=chain["quarry"],
            kind="supplies_blocks",
        )
    disclosure.upstream_disclose(
        supplier=supplier_org,
        by=supplier_user,
        site=chain["exporter"],
        customer=chain["exporter"],
        facility=chain["processor"],
        kind="trades",
    )
    deeper = disclosure.upstream_disclose(
        supplier=supplier_org,
        by=supplier_user,
        site=chain["exporter"],
        customer=chain["processor"],
        facility=chain["quarry"],
        kind="supplies_blocks",
    )
    assert deeper.shares.count() == 1


def test_a_buyer_accepted_later_receives_the_map(
    site, chain, supplier_org, supplier_user, other_buyer_org, other_buyer
):
    disclosure.upstream_disclose(
        supplier=supplier_org,
        by=supplier_user,
        site=chain["exporter"],
        customer=chain["exporter"],
        facility=chain["workshop"],
        kind="subcontracts",
    )
    later = relationships.relationship_create(
        organisation=other_buyer_org,
        by=other_buyer,
        facility=chain["exporter"],
        supplier=supplier_org,
    )
    relationships.sharing_answer(relationship=later, by=supplier_user, accept=True)
    share = UpstreamShare.objects.get(buyer=other_buyer_org)
    upstream.upstream_accept(share=share, by=other_buyer)
    assert Link.objects.filter(organisation=other_buyer_org, supplier=chain["workshop"]).exists()


def test_the_api_lists_and_accepts_disclosed_upstream(
    site, chain, buyer, owner, supplier_org, supplier_user, other_buyer_org, other_buyer
):
    from django.test import Client

    from stonebridge.accounts.services import api_token_create

    disclosure.upstream_disclose(
        supplier=supplier_org,
        by=supplier_user,
        site=chain["exporter"],
        customer=chain["exporter"],
        facility=chain["quarry"],
        kind="supplies_blocks",
    )
    token = api_token_create(user=owner, name="t")[1]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    listed = api.get(f"/api/organisations/{buyer.slug}/disclosed-upstream").json()
    assert listed["count"] == 1
    item = listed["items"][0]
    assert (item["disclosed_by"], item["supplier_id"], item["accepted_at"]) == (
        supplier_org.name,
        chain["quarry"].pk,
        None,
    )
    other = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=other_buyer, name='t')[1]}")
    stolen = other.post(
        f"/api/organisations/{other_buyer_org.slug}/disclosed-upstream/{item['id']}/accept"
    )
    assert stolen.status_code == 404
    accepted = api.post(f"/api/organisations/{buyer.slug}/disclosed-upstream/{item['id']}/accept")
    assert accepted.status_code == 200
    assert accepted.json()["supplier_id"] == chain["quarry"].pk
    assert Link.objects.filter(
        organisation=buyer, supplier=chain["quarry"], customer=chain["exporter"]
    ).exists()
