"""A world for the visit tests: Noordsteen engages two sites, Haichen's exporter (shared with
Haichen's account) and the Xinyuan sawing plant (shared with Xinyuan's), and sends the Qinghe
auditors to both with access until a date."""

import pytest

from stonebridge.accounts.models import Organisation, Role
from stonebridge.engagement.services import relationships

from ...conftest import OrganisationFactory, member
from .helpers import plan_visit, record


@pytest.fixture
def provider(db) -> Organisation:
    return OrganisationFactory(
        slug="qinghe",
        name="Qinghe Social Compliance Consulting",
        kind=Organisation.Kind.SERVICE_PROVIDER,
    )


@pytest.fixture
def auditor(provider):
    return member(provider, Role.OWNER, email="auditor@qinghe.example", language="zh-hans")


@pytest.fixture
def haichen_site(buyer, owner, chain, supplier_org, supplier_user):
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["exporter"], supplier=supplier_org
    )
    return relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)


@pytest.fixture
def xinyuan(db) -> Organisation:
    return OrganisationFactory(slug="xinyuan", name="Xinyuan", kind=Organisation.Kind.SUPPLIER)


@pytest.fixture
def xinyuan_user(xinyuan):
    return member(xinyuan, Role.OWNER, email="manager@xinyuan.example", language="zh-hans")


@pytest.fixture
def xinyuan_site(buyer, owner, chain, xinyuan, xinyuan_user):
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["processor"], supplier=xinyuan
    )
    return relationships.sharing_answer(relationship=relationship, by=xinyuan_user, accept=True)


@pytest.fixture
def audited(buyer, owner, provider, auditor, haichen_site, xinyuan_site):
    """The auditors' visit today to both sites, with one finding at each."""
    visit = plan_visit(buyer, owner, [haichen_site, xinyuan_site], provider=provider)
    return {
        "visit": visit,
        "haichen": record(visit, auditor, haichen_site, description="No masks at the saws."),
        "xinyuan": record(visit, auditor, xinyuan_site, issue="HOURS_WAGES", severity="medium",
                          description="Seventy hours a week in March."),
    }  # fmt: skip
