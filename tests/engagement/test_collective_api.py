"""Collective engagement over the API: a covenant member reads and acts as on its pages, and
what it does there shows on the pages; anyone outside the covenant, or in another one, finds
nothing."""

import pytest
from django.urls import reverse

from stonebridge.accounts.models import Role
from stonebridge.accounts.services import api_token_create
from stonebridge.engagement.models import CollectiveEngagement
from stonebridge.engagement.services import collective as services

from ..conftest import OrganisationFactory, client_for, member
from ..covenant_world import buys, join_covenant, make_covenant, new_member, shared_exporter


def call(user, method, url, body=None):
    token = api_token_create(user=user, name="t")[1]
    return getattr(client_for(None), method)(
        url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


@pytest.fixture
def world(buyer, owner, other_buyer_org, other_buyer):
    covenant, _secretary = make_covenant()
    join_covenant(buyer, covenant)
    join_covenant(other_buyer_org, covenant)
    exporter = shared_exporter(owner, buyer)
    buys(buyer, owner, exporter)
    buys(other_buyer_org, other_buyer, exporter)
    # A member of another covenant that buys from the same exporter.
    rival_covenant, _rival_secretary = make_covenant("granite-pact")
    rival, rival_owner = new_member(rival_covenant, "granito", "Granito Import SpA")
    buys(rival, rival_owner, exporter)
    return {
        "covenant": covenant,
        "exporter": exporter,
        "rival": rival,
        "rival_owner": rival_owner,
    }


def _base(org) -> str:
    return f"/api/organisations/{org.slug}/together"


@pytest.mark.django_db
def test_outsiders_and_members_of_another_covenant_get_not_found(world, buyer, owner):
    collective = services.collective_propose(
        organisation=buyer, by=owner, facility=world["exporter"], title="Dust control together"
    )
    rival, rival_owner = world["rival"], world["rival_owner"]
    outside = OrganisationFactory(slug="outside", name="Outside Stone Ltd")
    outside_owner = member(outside, Role.OWNER, email="owner@outside.example")
    buys(outside, outside_owner, world["exporter"])
    # In its own organisation: the other covenant's joint action is not there.
    for method, path in (
        ("get", f"/{collective.pk}"),
        ("post", f"/{collective.pk}/join"),
        ("post", f"/{collective.pk}/steps"),
        ("post", f"/{collective.pk}/close"),
    ):
        response = call(rival_owner, method, _base(rival) + path, {"title": "x", "note": "x"})
        assert response.status_code == 404, (method, path)
    listed = call(rival_owner, "get", _base(rival)).json()
    assert listed["count"] == 0
    # A buyer outside any covenant has no collective engagement at all.
    for path in ("", "/suppliers", f"/{collective.pk}"):
        assert call(outside_owner, "get", _base(outside) + path).status_code == 404
    # And nobody reaches the proposer's organisation.
    for person in (rival_owner, outside_owner):
        assert call(person, "get", f"{_base(buyer)}/{collective.pk}").status_code == 404
    body = call(rival_owner, "get", f"{_base(buyer)}/{collective.pk}").content.decode()
    assert "Dust control together" not in body


@pytest.mark.django_db
def test_what_a_member_does_over_the_api_shows_on_the_pages(
    world, buyer, owner, other_buyer_org, other_buyer
):
    made = call(
        owner,
        "post",
        _base(buyer),
        {"facility_id": world["exporter"].pk, "title": "Dust control together"},
    )
    assert made.status_code == 201, made.content
    collective_id = made.json()["id"]
    assert made.json()["plan"] == []
    home = client_for(other_buyer).get(
        reverse("engagement:collective_home", args=[other_buyer_org.slug])
    )
    assert "Dust control together" in home.content.decode()
    # The other member reads the proposal but not the plan until it joins.
    before = call(other_buyer, "get", f"{_base(other_buyer_org)}/{collective_id}").json()
    assert before["plan"] is None
    assert before["taking_part"] is False
    step = call(
        owner, "post", f"{_base(buyer)}/{collective_id}/steps", {"title": "Buy wet saws together"}
    )
    assert step.status_code == 201
    joined = call(other_buyer, "post", f"{_base(other_buyer_org)}/{collective_id}/join", {})
    assert joined.status_code == 200
    assert [s["title"] for s in joined.json()["plan"]] == ["Buy wet saws together"]
    assert joined.json()["participants"] == 2
    page = reverse("engagement:collective", args=[other_buyer_org.slug, collective_id])
    body = client_for(other_buyer).get(page).content.decode()
    assert "Buy wet saws together" in body
    assert "You take part." in body
    done = call(
        other_buyer,
        "post",
        f"{_base(other_buyer_org)}/{collective_id}/steps/{step.json()['id']}/done",
    )
    assert done.json()["status"] == "done"
    # Only the proposer closes; then nothing more is added.
    refused = call(
        other_buyer, "post", f"{_base(other_buyer_org)}/{collective_id}/close", {"note": "End"}
    )
    assert refused.status_code == 422
    closed = call(
        owner,
        "post",
        f"{_base(buyer)}/{collective_id}/close",
        {"note": "Wet cutting is in place.", "note_zh": "湿法切割已经落实。"},
    )
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    body = client_for(other_buyer).get(page).content.decode()
    assert "湿法切割已经落实。" in body
    assert "Buy wet saws together" in body
    more = call(owner, "post", f"{_base(buyer)}/{collective_id}/steps", {"title": "One more"})
    assert more.status_code == 422
    assert CollectiveEngagement.objects.get(pk=collective_id).actions.count() == 1


@pytest.mark.django_db
def test_leaving_over_the_api_hides_the_plan_on_the_page(
    world, buyer, owner, other_buyer_org, other_buyer
):
    collective = services.collective_propose(
        organisation=buyer, by=owner, facility=world["exporter"], title="Dust control together"
    )
    services.joint_action_add(
        collective=collective, organisation=buyer, by=owner, title="Buy wet saws together"
    )
    services.collective_join(collective=collective, organisation=other_buyer_org, by=other_buyer)
    left = call(other_buyer, "post", f"{_base(other_buyer_org)}/{collective.pk}/leave")
    assert left.status_code == 200
    assert left.json()["plan"] is None
    page = reverse("engagement:collective", args=[other_buyer_org.slug, collective.pk])
    assert "Buy wet saws together" not in client_for(other_buyer).get(page).content.decode()


@pytest.mark.django_db
def test_a_read_only_member_may_read_but_not_act(world, buyer, owner):
    viewer = member(buyer, Role.VIEWER, email="viewer@noordsteen.example")
    assert call(viewer, "get", _base(buyer)).status_code == 200
    response = call(
        viewer, "post", _base(buyer), {"facility_id": world["exporter"].pk, "title": "Dust"}
    )
    assert response.status_code == 403
    assert not CollectiveEngagement.objects.exists()


@pytest.mark.django_db
def test_shared_suppliers_follow_the_page_thresholds(world, buyer, owner):
    two = call(owner, "get", f"{_base(buyer)}/suppliers").json()
    assert two == {"suppliers": []}  # and no count of what is left out
    third, third_owner = new_member(world["covenant"], "pierre-bleue", "Pierre Bleue Trading NV")
    buys(third, third_owner, world["exporter"])
    three = call(owner, "get", f"{_base(buyer)}/suppliers").json()
    (supplier,) = three["suppliers"]
    assert supplier["facility_id"] == world["exporter"].pk
    assert supplier["members"] == 3
    assert supplier["named"] == []
    page = client_for(owner).get(reverse("engagement:collective_home", args=[buyer.slug]))
    assert "厦门海辰石业有限公司" in page.content.decode()
