"""Two registry records of one factory merged by staff: its grievances and channel follow."""

import pytest

from stonebridge.supplychain import merge, services
from stonebridge.voice.models import Case, Channel, Sponsor

from ..conftest import UserFactory
from .conftest import submit


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True, email="staff@stonebridge.example")


@pytest.fixture
def twin(buyer, owner):
    return services.facility_create(
        organisation=buyer, by=owner, kind="processor", name_zh="南安市水头鑫源石材有限公司"
    )


def test_cases_and_the_only_channel_move_to_the_kept_facility(twin, facility, channel, staff):
    case, _ = submit(channel)
    merge.facility_merge(keep=twin, remove=facility, by=staff)
    case.refresh_from_db()
    channel.refresh_from_db()
    assert (case.facility_id, channel.facility_id, case.channel_id) == (
        twin.pk,
        twin.pk,
        channel.pk,
    )


def test_with_two_channels_the_kept_facilitys_channel_takes_in_the_others_cases_and_buyers(
    twin, facility, channel, staff, buyer, other_buyer_org
):
    case, _ = submit(channel)
    kept = Channel.objects.create(facility=twin, token="Zp4wQ9rT")
    Sponsor.objects.create(channel=kept, organisation=other_buyer_org)
    merge.facility_merge(keep=twin, remove=facility, by=staff)
    case.refresh_from_db()
    assert case.channel_id == kept.pk
    assert not Channel.objects.filter(token="k7Qm2xPa").exists()
    kept.refresh_from_db()
    assert kept.factory_id == channel.factory_id
    sponsors = set(Sponsor.objects.filter(channel=kept).values_list("organisation", flat=True))
    assert sponsors == {buyer.pk, other_buyer_org.pk}
    assert Case.objects.get(pk=case.pk).description == "每个月加班超过一百个小时，周日也不休息。"
