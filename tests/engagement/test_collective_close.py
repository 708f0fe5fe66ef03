"""Joint action as the members notice it: a proposal reaches the other members that buy from
the supplier and nobody else, joining and closing reach those taking part, only the proposing
member closes, and a closed joint plan can be read but no longer changed."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from stonebridge.accounts.models import Role
from stonebridge.engagement.models import CollectiveEngagement, JointAction
from stonebridge.engagement.services import collective as services
from stonebridge.notifications.models import Notification

from ..conftest import OrganisationFactory, client_for, member
from ..covenant_world import buys, join_covenant, make_covenant, new_member, shared_exporter

PROPOSED = Notification.Kind.COLLECTIVE_PROPOSED
JOINED = Notification.Kind.COLLECTIVE_JOINED
CLOSED = Notification.Kind.COLLECTIVE_CLOSED


@pytest.fixture
def world(buyer, owner, other_buyer_org, other_buyer):
    """Three covenant members buying from one exporter, a fourth that does not, and a buyer
    outside the covenant that buys there too."""
    covenant, _secretary = make_covenant()
    join_covenant(buyer, covenant)
    join_covenant(other_buyer_org, covenant)
    third, third_owner = new_member(covenant, "pierre-bleue", "Pierre Bleue Trading NV")
    _elsewhere, elsewhere_owner = new_member(covenant, "granito", "Granito Import SpA")
    outside = OrganisationFactory(slug="outside", name="Outside Stone Ltd")
    outside_owner = member(outside, Role.OWNER, email="owner@outside.example")
    exporter = shared_exporter(owner, buyer)
    for org, person in (
        (buyer, owner),
        (other_buyer_org, other_buyer),
        (third, third_owner),
        (outside, outside_owner),
    ):
        buys(org, person, exporter)
    return {
        "third": third,
        "third_owner": third_owner,
        "elsewhere_owner": elsewhere_owner,
        "outside_owner": outside_owner,
        "exporter": exporter,
    }


def _propose(buyer, owner, exporter, **extra) -> CollectiveEngagement:
    return services.collective_propose(
        organisation=buyer,
        by=owner,
        facility=exporter,
        title="Dust control together",
        title_zh="共同控制粉尘",
        **extra,
    )


def _notices(user, kind):
    return list(Notification.objects.filter(user=user, kind=kind))


@pytest.mark.django_db
def test_a_proposal_reaches_the_other_members_that_buy_there_and_nobody_else(
    world, buyer, owner, other_buyer_org, other_buyer
):
    editor = member(other_buyer_org, Role.EDITOR, email="editor@steinwerk.example")
    reader = member(other_buyer_org, Role.VIEWER, email="reader@steinwerk.example")
    collective = _propose(buyer, owner, world["exporter"])
    for person in (other_buyer, editor, world["third_owner"]):
        (notice,) = _notices(person, PROPOSED)
        assert "Dust control together" in notice.message
        assert buyer.name not in notice.message  # the proposer did not agree to be named
        assert notice.url.endswith(f"/together/{collective.pk}/")
    assert other_buyer_org.slug in _notices(other_buyer, PROPOSED)[0].url
    # Not the proposer, not a member that does not buy there, not a buyer outside the
    # covenant, not a read-only member who cannot join.
    for person in (owner, world["elsewhere_owner"], world["outside_owner"], reader):
        assert _notices(person, PROPOSED) == []


@pytest.mark.django_db
def test_a_chinese_reader_gets_the_proposal_in_chinese(world, buyer, owner, other_buyer_org):
    manager = member(other_buyer_org, Role.EDITOR, email="li@steinwerk.example", language="zh-hans")
    _propose(buyer, owner, world["exporter"])
    (notice,) = _notices(manager, PROPOSED)
    assert "共同控制粉尘" in notice.message
    assert "行业倡议组织的一家成员" in notice.message
    assert "Dust control together" not in notice.message


@pytest.mark.django_db
def test_the_proposer_is_named_only_to_members_that_agreed_to_be_named_too(
    world, buyer, owner, other_buyer_org, other_buyer
):
    services.covenant_sharing_set(
        organisation=other_buyer_org, by=other_buyer, count_when_few=False, named_to_members=True
    )
    _propose(buyer, owner, world["exporter"], named_to_others=True)
    assert buyer.name in _notices(other_buyer, PROPOSED)[0].message
    assert buyer.name not in _notices(world["third_owner"], PROPOSED)[0].message


@pytest.mark.django_db
def test_joining_and_closing_reach_those_taking_part(
    world, buyer, owner, other_buyer_org, other_buyer
):
    third, third_owner = world["third"], world["third_owner"]
    collective = _propose(buyer, owner, world["exporter"])
    services.collective_join(collective=collective, organisation=other_buyer_org, by=other_buyer)
    assert len(_notices(owner, JOINED)) == 1
    assert _notices(third_owner, JOINED) == []  # not taking part
    assert _notices(other_buyer, JOINED) == []  # its own joining
    services.collective_join(collective=collective, organisation=third, by=third_owner)
    assert len(_notices(owner, JOINED)) == 2
    assert len(_notices(other_buyer, JOINED)) == 1
    assert third.name not in _notices(other_buyer, JOINED)[0].message
    services.collective_leave(collective=collective, organisation=third, by=third_owner)
    services.collective_close(
        collective=collective, organisation=buyer, by=owner, note="Wet cutting is in place."
    )
    assert len(_notices(other_buyer, CLOSED)) == 1
    assert _notices(third_owner, CLOSED) == []  # left before
    assert _notices(owner, CLOSED) == []  # closed it
    assert not Notification.objects.filter(user=world["outside_owner"]).exists()


@pytest.mark.django_db
def test_a_joining_member_is_named_when_both_agreed(
    world, buyer, owner, other_buyer_org, other_buyer
):
    collective = _propose(buyer, owner, world["exporter"], named_to_others=True)
    services.collective_join(
        collective=collective, organisation=other_buyer_org, by=other_buyer, named_to_others=True
    )
    assert other_buyer_org.name in _notices(owner, JOINED)[0].message


@pytest.mark.django_db
def test_only_the_proposing_member_can_close(world, buyer, owner, other_buyer_org, other_buyer):
    collective = _propose(buyer, owner, world["exporter"])
    services.collective_join(collective=collective, organisation=other_buyer_org, by=other_buyer)
    with pytest.raises(ValidationError):
        services.collective_close(
            collective=collective, organisation=other_buyer_org, by=other_buyer, note="Done"
        )
    close = reverse("engagement:collective_close", args=[other_buyer_org.slug, collective.pk])
    assert client_for(other_buyer).get(close).status_code == 404
    assert client_for(other_buyer).post(close, {"note": "Done"}).status_code == 404
    # A read-only member of the proposer may not either.
    viewer = member(buyer, Role.VIEWER, email="viewer@noordsteen.example")
    own_close = reverse("engagement:collective_close", args=[buyer.slug, collective.pk])
    assert client_for(viewer).post(own_close, {"note": "Done"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.collective_close(collective=collective, organisation=buyer, by=viewer, note="x")
    collective.refresh_from_db()
    assert collective.status == CollectiveEngagement.Status.ACTIVE


@pytest.mark.django_db
def test_closing_asks_for_confirmation_and_a_note(world, buyer, owner):
    collective = _propose(buyer, owner, world["exporter"])
    detail = reverse("engagement:collective", args=[buyer.slug, collective.pk])
    close = reverse("engagement:collective_close", args=[buyer.slug, collective.pk])
    assert close in client_for(owner).get(detail).content.decode()
    body = client_for(owner).get(close).content.decode()
    assert "This cannot be undone." in body
    collective.refresh_from_db()
    assert collective.status != CollectiveEngagement.Status.CLOSED
    # Without a note, nothing closes.
    response = client_for(owner).post(close, {"note": "", "note_zh": ""})
    assert response.status_code == 200
    collective.refresh_from_db()
    assert collective.status != CollectiveEngagement.Status.CLOSED
    response = client_for(owner).post(close, {"note": "", "note_zh": "湿法切割已经落实。"})
    assert response.status_code == 302
    collective.refresh_from_db()
    assert collective.status == CollectiveEngagement.Status.CLOSED
    assert collective.closing_note_zh == "湿法切割已经落实。"
    assert "湿法切割已经落实。" in client_for(owner).get(detail).content.decode()


@pytest.mark.django_db
def test_the_close_page_reads_in_chinese(world, buyer, owner):
    manager = member(buyer, Role.EDITOR, email="wang@noordsteen.example", language="zh-hans")
    collective = _propose(buyer, owner, world["exporter"])
    close = reverse("engagement:collective_close", args=[buyer.slug, collective.pk])
    body = client_for(manager).get(close).content.decode()
    assert "结束这项共同行动" in body
    assert "结束后无法撤销" in body


@pytest.mark.django_db
def test_after_closing_the_joint_plan_is_read_only_for_everyone(
    world, buyer, owner, other_buyer_org, other_buyer
):
    collective = _propose(buyer, owner, world["exporter"])
    services.collective_join(collective=collective, organisation=other_buyer_org, by=other_buyer)
    step = services.joint_action_add(
        collective=collective, organisation=buyer, by=owner, title="Buy wet saws together"
    )
    services.collective_close(collective=collective, organisation=buyer, by=owner, note="Ends.")
    collective.refresh_from_db()
    for org, person in ((buyer, owner), (other_buyer_org, other_buyer)):
        with pytest.raises(ValidationError):
            services.joint_action_add(
                collective=collective, organisation=org, by=person, title="One more"
            )
        with pytest.raises(ValidationError):
            services.joint_action_done(action=step, organisation=org, by=person)
        client = client_for(person)
        client.post(
            reverse("engagement:joint_action_add", args=[org.slug, collective.pk]),
            {"title": "One more"},
        )
        body = client.get(reverse("engagement:collective", args=[org.slug, collective.pk]))
        body = body.content.decode()
        assert "Buy wet saws together" in body  # still readable
        assert "Ends." in body
        assert "Add a step" not in body
        assert "Mark as done" not in body
    assert not JointAction.objects.filter(title="One more").exists()
    step.refresh_from_db()
    assert step.status == JointAction.Status.OPEN
    with pytest.raises(ValidationError):
        services.collective_join(
            collective=collective, organisation=world["third"], by=world["third_owner"]
        )
