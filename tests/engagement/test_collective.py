"""Collective engagement: members of a covenant who buy from one supplier propose joint action,
join it and share one joint plan; nobody is named to another member without agreeing, and the
escalation ladder's collective step links to it."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from stonebridge.audit.models import Entry
from stonebridge.engagement.collective import participants_for, shared_suppliers
from stonebridge.engagement.models import Escalation
from stonebridge.engagement.services import collective as services
from stonebridge.engagement.services import escalation, relationships

from ..conftest import client_for
from ..covenant_world import buys, join_covenant, make_covenant, new_member, shared_exporter


@pytest.fixture
def covenant_world(buyer, owner, other_buyer_org, other_buyer):
    covenant, secretary = make_covenant()
    join_covenant(buyer, covenant)
    join_covenant(other_buyer_org, covenant)
    third, third_owner = new_member(covenant, "pierre-bleue", "Pierre Bleue Trading NV")
    exporter = shared_exporter(owner, buyer)
    for org, person in ((buyer, owner), (other_buyer_org, other_buyer), (third, third_owner)):
        buys(org, person, exporter)
    return {
        "covenant": covenant,
        "secretary": secretary,
        "third": third,
        "third_owner": third_owner,
        "exporter": exporter,
    }


def _propose(buyer, owner, exporter, **extra):
    return services.collective_propose(
        organisation=buyer,
        by=owner,
        facility=exporter,
        title="Dust control together",
        title_zh="共同控制粉尘",
        description="Wet cutting at the Haichen yard.",
        **extra,
    )


@pytest.mark.django_db
def test_a_member_proposes_and_others_join_and_read_the_joint_plan(
    covenant_world, buyer, owner, other_buyer_org, other_buyer
):
    exporter = covenant_world["exporter"]
    collective = _propose(buyer, owner, exporter)
    services.joint_action_add(
        collective=collective, organisation=buyer, by=owner, title="Buy wet saws together"
    )
    url = reverse("engagement:collective", args=[other_buyer_org.slug, collective.pk])
    # Before joining: the proposal, not the plan.
    body = client_for(other_buyer).get(url).content.decode()
    assert "Dust control together" in body
    assert "Buy wet saws together" not in body
    response = client_for(other_buyer).post(
        reverse("engagement:collective_join", args=[other_buyer_org.slug, collective.pk])
    )
    assert response.status_code == 302
    body = client_for(other_buyer).get(url).content.decode()
    assert "Buy wet saws together" in body
    collective.refresh_from_db()
    assert collective.status == "active"
    assert Entry.objects.filter(
        organisation=other_buyer_org, verb="engagement.collective_joined"
    ).exists()


@pytest.mark.django_db
def test_participants_are_a_count_unless_both_agreed_to_be_named(
    covenant_world, buyer, owner, other_buyer_org, other_buyer
):
    collective = _propose(buyer, owner, covenant_world["exporter"], named_to_others=True)
    services.collective_join(collective=collective, organisation=other_buyer_org, by=other_buyer)
    url = reverse("engagement:collective", args=[other_buyer_org.slug, collective.pk])
    body = client_for(other_buyer).get(url).content.decode()
    assert "Members taking part: 2." in body
    assert buyer.name not in body  # the reader did not agree to be named itself
    services.collective_naming_set(
        collective=collective, organisation=other_buyer_org, by=other_buyer, named=True
    )
    assert buyer.name in client_for(other_buyer).get(url).content.decode()
    # The proposer agreed; the other did not withdraw: each sees the other now.
    assert participants_for(collective, buyer).named == [other_buyer_org.name]


@pytest.mark.django_db
def test_a_member_who_does_not_buy_there_sees_nothing_and_cannot_join(covenant_world, buyer, owner):
    covenant = covenant_world["covenant"]
    outsider_member, outsider = new_member(covenant, "marmi", "Marmi Import SRL")
    collective = _propose(buyer, owner, covenant_world["exporter"])
    url = reverse("engagement:collective", args=[outsider_member.slug, collective.pk])
    assert client_for(outsider).get(url).status_code == 404
    with pytest.raises(ValidationError):
        services.collective_join(collective=collective, organisation=outsider_member, by=outsider)


@pytest.mark.django_db
def test_a_buyer_outside_the_covenant_gets_404(covenant_world, buyer, owner):
    from ..conftest import OrganisationFactory, member

    stranger_org = OrganisationFactory(slug="elsewhere")
    stranger = member(stranger_org)
    buys(stranger_org, stranger, covenant_world["exporter"])
    collective = _propose(buyer, owner, covenant_world["exporter"])
    for name in ("collective_home", "collective_propose"):
        assert (
            client_for(stranger)
            .get(reverse(f"engagement:{name}", args=[stranger_org.slug]))
            .status_code
            == 404
        )
    url = reverse("engagement:collective", args=[stranger_org.slug, collective.pk])
    assert client_for(stranger).get(url).status_code == 404


@pytest.mark.django_db
def test_a_member_who_left_no_longer_adds_to_the_plan(
    covenant_world, buyer, owner, other_buyer_org, other_buyer
):
    collective = _propose(buyer, owner, covenant_world["exporter"])
    services.collective_join(collective=collective, organisation=other_buyer_org, by=other_buyer)
    services.collective_leave(collective=collective, organisation=other_buyer_org, by=other_buyer)
    with pytest.raises(ValidationError):
        services.joint_action_add(
            collective=collective, organisation=other_buyer_org, by=other_buyer, title="x"
        )
    assert participants_for(collective, buyer).count == 1


@pytest.mark.django_db
def test_the_collective_action_step_links_to_the_joint_action(
    covenant_world, buyer, owner, supplier_org
):
    exporter = covenant_world["exporter"]
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=exporter, supplier=supplier_org
    )
    collective = _propose(buyer, owner, exporter)
    step = escalation.escalation_take(
        relationship=relationship,
        by=owner,
        step=Escalation.Step.COLLECTIVE_ACTION,
        taken_on=date.today(),
        collective=collective,
    )
    assert step.collective == collective
    body = (
        client_for(owner)
        .get(reverse("engagement:relationship", args=[buyer.slug, relationship.pk]))
        .content.decode()
    )
    assert reverse("engagement:collective", args=[buyer.slug, collective.pk]) in body
    with pytest.raises(ValidationError):
        escalation.escalation_take(
            relationship=relationship,
            by=owner,
            step=Escalation.Step.REMINDER,
            taken_on=date.today(),
            collective=collective,
        )


@pytest.mark.django_db
def test_the_escalation_form_offers_only_joint_actions_one_takes_part_in(
    covenant_world, buyer, owner, other_buyer_org, other_buyer, supplier_org
):
    exporter = covenant_world["exporter"]
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=exporter, supplier=supplier_org
    )
    mine = _propose(buyer, owner, exporter)
    theirs = _propose(other_buyer_org, other_buyer, exporter)
    body = (
        client_for(owner)
        .get(reverse("engagement:escalate", args=[buyer.slug, relationship.pk]))
        .content.decode()
    )
    assert f'value="{mine.pk}"' in body
    assert f'value="{theirs.pk}"' not in body


@pytest.mark.django_db
def test_shared_supplier_counts_need_three_members_or_everyones_agreement(
    covenant_world, buyer, owner, other_buyer_org, other_buyer
):
    covenant = covenant_world["covenant"]
    pair = shared_exporter(owner, buyer, name_zh="莱州市金岭石材有限公司")
    buys(buyer, owner, pair)
    buys(other_buyer_org, other_buyer, pair)
    shown, withheld = shared_suppliers(covenant, reader=buyer)
    assert [s.facility for s in shown] == [covenant_world["exporter"]]
    assert shown[0].members == 3
    # A member is not told of suppliers left out: it would learn another member buys there.
    assert withheld == 0
    assert shared_suppliers(covenant)[1] == 1
    services.covenant_sharing_set(
        organisation=buyer, by=owner, count_when_few=True, named_to_members=True
    )
    assert shared_suppliers(covenant)[1] == 1  # the other has not agreed yet
    assert pair not in [s.facility for s in shared_suppliers(covenant, reader=buyer)[0]]
    services.covenant_sharing_set(
        organisation=other_buyer_org, by=other_buyer, count_when_few=True, named_to_members=False
    )
    shown, withheld = shared_suppliers(covenant, reader=buyer)
    assert withheld == 0
    assert {s.facility: s.members for s in shown}[pair] == 2
    # Named only when both agreed: the other did not agree to be named.
    assert all(other_buyer_org.name not in s.named for s in shown)
    assert Entry.objects.filter(verb="engagement.covenant_sharing_set").count() == 2


@pytest.mark.django_db
def test_members_are_named_to_each_other_only_when_both_agreed(
    covenant_world, buyer, owner, other_buyer_org, other_buyer
):
    covenant = covenant_world["covenant"]
    services.covenant_sharing_set(
        organisation=other_buyer_org, by=other_buyer, count_when_few=False, named_to_members=True
    )
    page = reverse("engagement:collective_home", args=[buyer.slug])
    assert other_buyer_org.name not in client_for(owner).get(page).content.decode()
    services.covenant_sharing_set(
        organisation=buyer, by=owner, count_when_few=False, named_to_members=True
    )
    assert other_buyer_org.name in client_for(owner).get(page).content.decode()
    third = covenant_world["third"]
    # The third member agreed to nothing: it is not named to anyone.
    shown, _withheld = shared_suppliers(covenant, reader=buyer)
    assert third.name not in shown[0].named
