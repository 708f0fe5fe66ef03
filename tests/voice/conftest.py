"""A facility's grievance channel, sponsored by Noordsteen, run on the factory side by Haichen,
and a covenant Noordsteen belongs to; `submit` files a case as a worker would."""

import pytest

from stonebridge.accounts.models import Organisation, Role
from stonebridge.supplychain.services import facility_create
from stonebridge.voice.models import Channel, Route, Sponsor, Topic
from stonebridge.voice.services.intake import case_submit

from ..conftest import OrganisationFactory, member

SECRET = "482109375512"


@pytest.fixture
def covenant_org(db, buyer) -> Organisation:
    covenant = OrganisationFactory(
        slug="stone-covenant", name="Natural Stone Covenant", kind=Organisation.Kind.COVENANT
    )
    buyer.covenant = covenant
    buyer.save(update_fields=["covenant"])
    return covenant


@pytest.fixture
def covenant_user(covenant_org):
    return member(covenant_org, Role.OWNER, email="secretariat@covenant.example")


@pytest.fixture
def facility(buyer, owner):
    return facility_create(
        organisation=buyer,
        by=owner,
        kind="processor",
        name_zh="南安市水头鑫源石材厂",
        name_en="Nan'an Shuitou Xinyuan Stone Factory",
        province="福建省",
        city="泉州市",
    )


@pytest.fixture
def channel(facility, buyer, supplier_org) -> Channel:
    made = Channel.objects.create(facility=facility, token="k7Qm2xPa", factory=supplier_org)
    Sponsor.objects.create(channel=made, organisation=buyer)
    return made


def submit(channel, **fields):
    """A case as a worker files it (by default anonymous, to the buyers, about overtime);
    returns the case and its receipt's secret."""
    values = {
        "topic": Topic.HOURS,
        "description": "每个月加班超过一百个小时，周日也不休息。",
        "route": Route.BUYERS,
        "consent_abroad": True,
        **fields,
    }
    return case_submit(channel=channel, **values)


@pytest.fixture
def engaged(buyer, owner, facility, supplier_org, supplier_user):
    """Noordsteen works with Haichen at the facility: it named Haichen, which accepted."""
    from stonebridge.engagement.services import relationships

    made = relationships.relationship_create(
        organisation=buyer, by=owner, facility=facility, supplier=supplier_org
    )
    return relationships.sharing_answer(relationship=made, by=supplier_user, accept=True)
