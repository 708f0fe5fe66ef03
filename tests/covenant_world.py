"""A covenant with members that buy from the same supplier, for the covenant's and the members'
pages of collective leverage."""

from decimal import Decimal

from stonebridge.accounts.models import Organisation, Role
from stonebridge.supplychain.services import facility_create, sourcing_set

from .conftest import OrganisationFactory, member


def make_covenant(slug: str = "stone-covenant") -> tuple[Organisation, object]:
    covenant = OrganisationFactory(
        slug=slug, name="Natural Stone Sector Covenant", kind=Organisation.Kind.COVENANT
    )
    secretary = member(covenant, Role.OWNER, email=f"secretariat@{slug}.example")
    return covenant, secretary


def join_covenant(organisation: Organisation, covenant: Organisation) -> Organisation:
    organisation.covenant = covenant
    organisation.save(update_fields=["covenant"])
    return organisation


def new_member(covenant: Organisation, slug: str, name: str) -> tuple[Organisation, object]:
    organisation = OrganisationFactory(slug=slug, name=name, covenant=covenant)
    return organisation, member(organisation, Role.OWNER, email=f"owner@{slug}.example")


def shared_exporter(by, organisation: Organisation, name_zh: str = "厦门海辰石业有限公司"):
    return facility_create(organisation=organisation, by=by, kind="exporter", name_zh=name_zh)


def buys(organisation: Organisation, by, facility) -> None:
    sourcing_set(organisation=organisation, by=by, facility=facility, annual_volume=Decimal(100))
