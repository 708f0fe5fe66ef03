"""The API as the pages: titles in English, Chinese or both (the old field names still taken),
the code of conduct published with the page's checks, and a relationship named only with a
supplier the buyer's chain or search finds."""

from datetime import timedelta

import pytest
from django.utils import timezone

from stonebridge.accounts.models import Organisation
from stonebridge.audit.models import Entry
from stonebridge.engagement.models import Action, Code, Relationship
from stonebridge.engagement.services import plans, relationships

from ..conftest import OrganisationFactory
from .test_api import client_with_token, post

DUE = (timezone.localdate() + timedelta(days=30)).isoformat()


@pytest.fixture
def relationship(buyer, owner, chain, supplier_org, supplier_user):
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["exporter"], supplier=supplier_org
    )
    return relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)


@pytest.fixture
def plan(relationship, owner):
    return plans.plan_create(relationship=relationship, by=owner, title="Dust control")


def test_an_action_titled_only_in_chinese_is_created(buyer, owner, plan):
    body = {"title_zh": "安装吸尘罩", "issue": "OHS", "due_on": DUE}
    created = post(
        client_with_token(owner), f"/api/organisations/{buyer.slug}/plans/{plan.pk}/actions", body
    )
    assert created.status_code == 201, created.content
    assert (created.json()["title"], created.json()["title_zh"]) == ("", "安装吸尘罩")


def test_an_action_with_no_title_in_either_language_is_a_field_error(buyer, owner, plan):
    body = {"title": " ", "title_zh": "", "issue": "OHS", "due_on": DUE}
    response = post(
        client_with_token(owner), f"/api/organisations/{buyer.slug}/plans/{plan.pk}/actions", body
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "title"
    assert not Action.objects.exists()


def test_chinese_sent_as_the_old_title_is_stored_as_the_chinese_title(buyer, owner, plan):
    body = {"title": "湿法切割", "issue": "OHS", "due_on": DUE}
    created = post(
        client_with_token(owner), f"/api/organisations/{buyer.slug}/plans/{plan.pk}/actions", body
    )
    assert created.status_code == 201, created.content
    assert (created.json()["title"], created.json()["title_zh"]) == ("", "湿法切割")


def test_a_plan_titled_only_in_chinese_is_created(buyer, owner, relationship):
    url = f"/api/organisations/{buyer.slug}/relationships/{relationship.pk}/plans"
    created = post(client_with_token(owner), url, {"title_zh": "粉尘控制"})
    assert created.status_code == 201, created.content
    assert (created.json()["title"], created.json()["title_zh"]) == ("", "粉尘控制")
    empty = post(client_with_token(owner), url, {"title": ""})
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["field"] == "title"


def test_a_milestone_named_only_in_chinese_is_added(buyer, owner, plan):
    action = plans.action_create(plan=plan, by=owner, title="Hoods", issue="OHS", due_on=DUE)
    url = f"/api/organisations/{buyer.slug}/actions/{action.pk}/measures"
    created = post(client_with_token(owner), url, {"kind": "milestone", "title_zh": "吸尘罩已安装"})
    assert created.status_code == 201, created.content
    assert (created.json()["title"], created.json()["title_zh"]) == ("", "吸尘罩已安装")
    unnamed = post(client_with_token(owner), url, {"kind": "milestone"})
    assert unnamed.status_code == 422
    assert unnamed.json()["errors"][0]["field"] == "title"


# --- the code of conduct ---


def codes_url(buyer):
    return f"/api/organisations/{buyer.slug}/codes"


CODE = {
    "title": "Supplier code",
    "title_zh": "供应商行为准则",
    "text_en": "No forced labour.",
    "text_zh": "禁止强迫劳动。",
}


def test_a_code_of_conduct_is_published_in_both_languages_with_an_audit_entry(buyer, owner):
    client = client_with_token(owner)
    created = post(client, codes_url(buyer), CODE)
    assert created.status_code == 201, created.content
    assert {k: created.json()[k] for k in ("version", "title", "title_zh", "sent")} == {
        "version": 1,
        "title": "Supplier code",
        "title_zh": "供应商行为准则",
        "sent": 0,
    }
    assert Entry.objects.filter(verb="engagement.code_published").count() == 1
    changed = post(client, codes_url(buyer), {**CODE, "title": "行为准则", "title_zh": ""})
    assert changed.status_code == 201, changed.content
    # A change is a new version; Chinese sent as the old title is stored as the Chinese title.
    assert (changed.json()["version"], changed.json()["title"], changed.json()["title_zh"]) == (
        2,
        "",
        "行为准则",
    )
    listed = client.get(codes_url(buyer)).json()
    assert [code["version"] for code in listed["items"]] == [2, 1]


def test_a_viewer_cannot_publish_a_code_and_another_buyer_does_not_find_the_list(
    buyer, viewer, other_buyer
):
    refused = post(client_with_token(viewer), codes_url(buyer), CODE)
    assert refused.status_code == 403
    outside = client_with_token(other_buyer).get(codes_url(buyer))
    assert outside.status_code == 404
    assert not Code.objects.exists()
    assert not Entry.objects.filter(verb="engagement.code_published").exists()


def test_a_code_without_its_chinese_text_is_a_field_error(buyer, owner):
    response = post(client_with_token(owner), codes_url(buyer), {**CODE, "text_zh": ""})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "text_zh"


# --- who may be named as the supplier ---


def engage(client, buyer, facility, **body):
    return post(
        client,
        f"/api/organisations/{buyer.slug}/relationships",
        {"facility_id": facility.pk, **body},
    )


def test_a_supplier_outside_the_chain_and_not_searched_for_cannot_be_named(buyer, owner, chain):
    outsider = OrganisationFactory(
        slug="jinlong", name="Quanzhou Jinlong Stone", kind=Organisation.Kind.SUPPLIER
    )
    client = client_with_token(owner)
    before = Entry.objects.count()
    response = engage(client, buyer, chain["processor"], supplier=outsider.slug)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "supplier"
    # An unknown slug gets the very same answer: nothing tells who else is on StoneBridge.
    unknown = engage(client, buyer, chain["processor"], supplier="no-such-supplier")
    assert unknown.json() == response.json()
    assert not Relationship.objects.exists()
    assert Entry.objects.count() == before


def test_a_supplier_found_by_the_search_can_be_named(buyer, owner, chain):
    found = OrganisationFactory(
        slug="jinlong", name="Quanzhou Jinlong Stone", kind=Organisation.Kind.SUPPLIER
    )
    client = client_with_token(owner)
    response = engage(client, buyer, chain["processor"], supplier="jinlong", find="Jinlong")
    assert response.status_code == 201, response.content
    assert buyer.relationships.get().supplier == found
