"""The covenant's figures over the API: the secretariat reads what its page shows, never a
figure behind which fewer than three members stand, and nobody else reads anything."""

import pytest

from stonebridge.accounts.services import api_token_create
from stonebridge.engagement.services import plans, relationships

from ..conftest import OrganisationFactory, client_for, member
from ..covenant_world import join_covenant, make_covenant, new_member, shared_exporter

URL = "/api/organisations/{}/covenant/progress"


def call(user, url):
    token = api_token_create(user=user, name="t")[1]
    return client_for(None).get(url, HTTP_AUTHORIZATION=f"Bearer {token}")


def _open_plan(organisation, person):
    facility = shared_exporter(person, organisation, name_zh=f"{organisation.slug}石业")
    relationship = relationships.relationship_create(
        organisation=organisation, by=person, facility=facility
    )
    plans.plan_create(relationship=relationship, by=person, title="Dust control")


def _figure(body, section, label):
    return next(f for f in body[section] if f["label"] == label)


def _all_figures(body):
    return body["chain"] + body["risks"] + body["plans"] + body["grievances"]


@pytest.fixture
def covenant_of_two(buyer, owner, other_buyer_org, other_buyer):
    covenant, secretary = make_covenant()
    join_covenant(buyer, covenant)
    join_covenant(other_buyer_org, covenant)
    _open_plan(buyer, owner)
    _open_plan(other_buyer_org, other_buyer)
    return covenant, secretary


@pytest.mark.django_db
def test_a_covenant_of_two_gets_no_figure_but_the_count(covenant_of_two):
    covenant, secretary = covenant_of_two
    response = call(secretary, URL.format(covenant.slug))
    assert response.status_code == 200
    body = response.json()
    assert body["members"] == 2
    assert body["enough_members"] is False
    for figure in _all_figures(body):
        assert figure["value"] in (None, 0), figure
        assert "members" not in figure
    plans_open = _figure(body, "plans", "Improvement plans open")
    assert plans_open["withheld"] is True
    assert plans_open["value"] is None
    assert "fewer than three members" in plans_open["reason"]


@pytest.mark.django_db
def test_a_count_from_two_of_three_members_stays_withheld_until_the_third_has_one(
    covenant_of_two,
):
    covenant, secretary = covenant_of_two
    third, third_owner = new_member(covenant, "pierre-bleue", "Pierre Bleue Trading NV")
    body = call(secretary, URL.format(covenant.slug)).json()
    assert body["enough_members"] is True
    # Three members, but only two with open plans: either could read the other's number.
    assert _figure(body, "plans", "Improvement plans open")["value"] is None
    # A share is built from all three, so it shows.
    assert _figure(body, "chain", "Members whose chain is mapped down to a quarry")["value"] == 0
    _open_plan(third, third_owner)
    body = call(secretary, URL.format(covenant.slug)).json()
    shown = _figure(body, "plans", "Improvement plans open")
    assert shown == {
        "label": "Improvement plans open",
        "value": 3,
        "percent": False,
        "withheld": False,
        "reason": "",
    }


@pytest.mark.django_db
def test_only_the_covenants_own_people_read_its_figures(covenant_of_two, buyer, owner):
    covenant, _secretary = covenant_of_two
    other_covenant = OrganisationFactory(slug="other-covenant", kind="covenant")
    other_secretary = member(other_covenant, email="secretariat@other.example")
    for person in (owner, other_secretary):
        response = call(person, URL.format(covenant.slug))
        assert response.status_code == 404
        assert "Improvement plans" not in response.content.decode()
    # A buyer's own organisation has no covenant figures.
    assert call(owner, URL.format(buyer.slug)).status_code == 404
    assert call(other_secretary, URL.format(other_covenant.slug)).status_code == 200
