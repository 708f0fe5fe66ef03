"""Factories and the named personas every test speaks of.

- owner: owner of the buyer "Noordsteen" (the organisation under test)
- editor, viewer: its editor and viewer
- other_buyer: owner of another buyer, "Steinwerk"
- supplier_user: owner of a supplier, "Haichen"
- anonymous: nobody logged in
"""

import os

import factory
import pytest
from django.test import Client

from stonebridge.accounts import services
from stonebridge.accounts.models import Organisation, Role, User

PASSWORD = "a-long-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.BUYER


def member(organisation: Organisation, role: Role = Role.OWNER, **fields) -> User:
    user = UserFactory(**fields)
    services.membership_add(organisation=organisation, user=user, role=role, by=None)
    return user


@pytest.fixture
def buyer(db) -> Organisation:
    return OrganisationFactory(slug="noordsteen", name="Noordsteen Natuursteen B.V.")


@pytest.fixture
def other_buyer_org(db) -> Organisation:
    return OrganisationFactory(slug="steinwerk", name="Steinwerk Import GmbH")


@pytest.fixture
def supplier_org(db) -> Organisation:
    return OrganisationFactory(
        slug="haichen",
        name="Xiamen Haichen Stone Co., Ltd.",
        name_zh="厦门海辰石业有限公司",
        kind=Organisation.Kind.SUPPLIER,
    )


@pytest.fixture
def owner(buyer) -> User:
    return member(buyer, Role.OWNER, email="owner@noordsteen.example", name="Anna de Vries")


@pytest.fixture
def editor(buyer) -> User:
    return member(buyer, Role.EDITOR, email="editor@noordsteen.example")


@pytest.fixture
def viewer(buyer) -> User:
    return member(buyer, Role.VIEWER, email="viewer@noordsteen.example")


@pytest.fixture
def other_buyer(other_buyer_org) -> User:
    return member(other_buyer_org, Role.OWNER, email="owner@steinwerk.example")


@pytest.fixture
def supplier_user(supplier_org) -> User:
    return member(supplier_org, Role.OWNER, email="manager@haichen.example", language="zh-hans")


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# In CI a skipped test fails the run: browser tests must not silently not run.
_skipped: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("CI") == "true" and _skipped:
        print(f"\nCI: {len(_skipped)} skipped test(s) count as failures: {_skipped}")
        session.exitstatus = 1
