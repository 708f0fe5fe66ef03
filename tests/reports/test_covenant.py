"""The covenant secretariat's view: figures of three or more members only, shared suppliers and
joint action without naming a member that did not agree, and nobody else may open it."""

import pytest
from django.urls import reverse

from stonebridge.engagement.services import collective as services
from stonebridge.reports import covenant
from stonebridge.reports.covenant import MemberFacts

from ..conftest import OrganisationFactory, client_for, member
from ..covenant_world import buys, join_covenant, make_covenant, new_member, shared_exporter

PAGES = ("covenant_progress", "covenant_suppliers", "covenant_collectives")


def test_a_count_from_two_members_is_withheld_and_from_three_shown():
    two = covenant.total("Grievances open", [4, 1, 0])
    assert not two.shown
    assert two.reason
    three = covenant.total("Grievances open", [4, 1, 2])
    assert three.shown
    assert three.value == 7
    assert covenant.total("Grievances open", [0, 0, 0]).value == 0


def test_a_share_needs_three_members():
    assert not covenant.share("Mapped", [True, False]).shown
    assert covenant.share("Mapped", [True, False, True]).value == 67


def test_progress_of_a_covenant_of_two_shows_nothing_but_the_count():
    facts = [
        MemberFacts(mapped_to_quarry=True, priority_risks={"OHS": 2}, plans_open=1),
        MemberFacts(mapped_to_quarry=False, priority_risks={"OHS": 1}, plans_open=3),
    ]
    progress = covenant.progress(facts, [("OHS", "Occupational health and safety")])
    assert progress.members == 2
    assert not progress.enough_members
    figures = progress.chain + progress.risks + progress.plans + progress.grievances
    assert all(not f.shown or f.value == 0 for f in figures)


@pytest.fixture
def secretariat(buyer, owner, other_buyer_org, other_buyer):
    covenant_org, secretary = make_covenant()
    join_covenant(buyer, covenant_org)
    join_covenant(other_buyer_org, covenant_org)
    exporter = shared_exporter(owner, buyer)
    buys(buyer, owner, exporter)
    buys(other_buyer_org, other_buyer, exporter)
    return covenant_org, secretary, exporter


@pytest.mark.django_db
def test_two_members_sharing_a_supplier_are_not_shown_to_the_covenant(secretariat):
    covenant_org, secretary, _exporter = secretariat
    body = (
        client_for(secretary)
        .get(reverse("reports:covenant_suppliers", args=[covenant_org.slug]))
        .content.decode()
    )
    assert "厦门海辰石业有限公司" not in body
    assert 'id="withheld"' in body


@pytest.mark.django_db
def test_a_third_member_makes_the_supplier_shown_without_names(secretariat, buyer, other_buyer_org):
    covenant_org, secretary, exporter = secretariat
    third, third_owner = new_member(covenant_org, "pierre-bleue", "Pierre Bleue Trading NV")
    buys(third, third_owner, exporter)
    body = (
        client_for(secretary)
        .get(reverse("reports:covenant_suppliers", args=[covenant_org.slug]))
        .content.decode()
    )
    assert "厦门海辰石业有限公司" in body
    for name in (buyer.name, other_buyer_org.name, third.name):
        assert name not in body


@pytest.mark.django_db
def test_two_members_who_both_opted_in_are_counted(
    secretariat, buyer, owner, other_buyer_org, other_buyer
):
    covenant_org, secretary, _exporter = secretariat
    for org, person in ((buyer, owner), (other_buyer_org, other_buyer)):
        services.covenant_sharing_set(
            organisation=org, by=person, count_when_few=True, named_to_members=False
        )
    body = (
        client_for(secretary)
        .get(reverse("reports:covenant_suppliers", args=[covenant_org.slug]))
        .content.decode()
    )
    assert "厦门海辰石业有限公司" in body


@pytest.mark.django_db
def test_progress_page_withholds_figures_of_a_covenant_of_two(secretariat):
    covenant_org, secretary, _exporter = secretariat
    body = (
        client_for(secretary)
        .get(reverse("reports:covenant_progress", args=[covenant_org.slug]))
        .content.decode()
    )
    assert 'id="too-few"' in body
    assert "fewer than three members" in body


@pytest.mark.django_db
def test_progress_page_shows_the_share_from_three_members(secretariat):
    covenant_org, secretary, _exporter = secretariat
    new_member(covenant_org, "pierre-bleue", "Pierre Bleue Trading NV")
    body = (
        client_for(secretary)
        .get(reverse("reports:covenant_progress", args=[covenant_org.slug]))
        .content.decode()
    )
    assert 'id="too-few"' not in body
    assert "0 %" in body


@pytest.mark.django_db
def test_joint_action_reaches_the_covenant_without_member_names(
    secretariat, buyer, owner, other_buyer_org, other_buyer
):
    covenant_org, secretary, exporter = secretariat
    collective = services.collective_propose(
        organisation=buyer, by=owner, facility=exporter, title="Dust control together"
    )
    services.collective_join(collective=collective, organisation=other_buyer_org, by=other_buyer)
    url = reverse("reports:covenant_collectives", args=[covenant_org.slug])
    body = client_for(secretary).get(url).content.decode()
    assert "Dust control together" in body
    assert buyer.name not in body
    assert other_buyer_org.name not in body
    services.collective_naming_set(collective=collective, organisation=buyer, by=owner, named=True)
    body = client_for(secretary).get(url).content.decode()
    assert buyer.name in body
    assert other_buyer_org.name not in body


@pytest.mark.django_db
def test_only_the_covenants_own_people_open_its_pages(secretariat, owner, buyer):
    covenant_org, secretary, _exporter = secretariat
    other_covenant = OrganisationFactory(slug="other-covenant", kind="covenant")
    outsider = member(other_covenant)
    for page in PAGES:
        assert (
            client_for(secretary)
            .get(reverse(f"reports:{page}", args=[covenant_org.slug]))
            .status_code
            == 200
        )
        for person in (owner, outsider):
            response = client_for(person).get(reverse(f"reports:{page}", args=[covenant_org.slug]))
            assert response.status_code == 404
        # A buyer's own slug has no covenant view.
        assert (
            client_for(owner).get(reverse(f"reports:{page}", args=[buyer.slug])).status_code == 404
        )


@pytest.mark.django_db
def test_the_joint_action_list_reads_in_the_same_queries_however_long(
    secretariat, buyer, owner, other_buyer_org, other_buyer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    covenant_org, secretary, exporter = secretariat
    url = reverse("reports:covenant_collectives", args=[covenant_org.slug])
    client = client_for(secretary)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    services.collective_propose(organisation=buyer, by=owner, facility=exporter, title="One")
    one = queries()
    for title in ("Two", "Three"):
        joint = services.collective_propose(
            organisation=buyer, by=owner, facility=exporter, title=title
        )
        services.collective_join(collective=joint, organisation=other_buyer_org, by=other_buyer)
    assert queries() == one
