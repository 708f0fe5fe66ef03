import pytest
from django.test import Client

from stonebridge.accounts.services import api_token_create
from stonebridge.supplychain.models import Facility, Link


@pytest.fixture
def api(owner):
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=owner, name='t')[1]}")


def test_facilities_are_listed_with_filters_and_the_buyers_tier(api, chain, buyer):
    body = api.get(f"/api/organisations/{buyer.slug}/facilities", {"kind": "quarry"}).json()
    assert body["count"] == 1
    assert body["items"][0]["tier"] == 3
    assert body["items"][0]["activities"] == ["quarrying"]
    found = api.get(f"/api/organisations/{buyer.slug}/facilities", {"q": "shuitou"}).json()
    assert [f["name_zh"] for f in found["items"]] == ["南安市水头鑫源石材厂"]


def test_a_facility_is_created_and_a_wrong_code_is_a_field_error(api, buyer):
    url = f"/api/organisations/{buyer.slug}/facilities"
    bad = api.post(
        url,
        {"kind": "quarry", "name_zh": "某石场", "credit_code": "91350583MA2XXXXX1X"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "credit_code"
    good = api.post(
        url,
        {"kind": "quarry", "name_zh": "某石场", "stone_types": ["granite"]},
        content_type="application/json",
    )
    assert good.status_code == 201
    assert Facility.objects.get().stone_list() == ["granite"]


def test_links_and_sourcing_through_the_api(api, chain, buyer):
    response = api.post(
        f"/api/organisations/{buyer.slug}/links",
        {
            "kind": "supplies_blocks",
            "supplier_id": chain["exporter"].pk,
            "customer_id": chain["quarry"].pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "loop" in response.json()["errors"][0]["message"]
    gaps = api.get(f"/api/organisations/{buyer.slug}/links", {"gaps": True}).json()
    assert gaps["count"] == 2
    put = api.put(
        f"/api/organisations/{buyer.slug}/sourcing/{chain['processor'].pk}",
        {"annual_volume": "120", "share_of_output": "0.1"},
        content_type="application/json",
    )
    assert put.status_code == 200
    assert Link.objects.filter(organisation=buyer).count() == 5


def test_the_chain_comes_as_json_with_its_transparency(api, chain, buyer):
    body = api.get(f"/api/organisations/{buyer.slug}/chain").json()
    assert body["transparency"]["traced_volume_share"] == "0.600"
    assert body["transparency"]["undisclosed_subcontracting"] == 1
    assert any(node["kind"] == "gap" for node in body["nodes"])


def test_a_link_is_read_and_changed_through_the_api(api, chain, buyer):
    link = Link.objects.get(organisation=buyer, supplier=chain["quarry"])
    url = f"/api/organisations/{buyer.slug}/links/{link.pk}"
    assert api.get(url).json()["share"] == "0.600"
    response = api.patch(url, {"share": "1", "volume": "250"}, content_type="application/json")
    assert response.status_code == 200
    body = api.get(f"/api/organisations/{buyer.slug}/chain").json()
    # All of the processor's blocks now come from the quarry: fully traced.
    assert body["transparency"]["traced_volume_share"] == "1.000"
    bad = api.patch(url, {"share": "1.5"}, content_type="application/json")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "share"
