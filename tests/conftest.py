"""Factories and the named personas every test speaks of.

- owner: owner of the buyer "Noordsteen" (the organisation under test)
- editor, viewer: its editor and viewer
- other_buyer: owner of another buyer, "Steinwerk"
- supplier_user: owner of a supplier, "Haichen"
- anonymous: nobody logged in
"""

import os
from datetime import date
from decimal import Decimal

import factory
import pytest
from django.test import Client

from stonebridge.accounts import services
from stonebridge.accounts.models import Organisation, Role, User
from stonebridge.risk import services as risk
from stonebridge.supplychain import services as supplychain

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


@pytest.fixture
def chain(buyer, owner):
    """A small chain a person can check by hand.

    Exporter ← processor (trades, 900 m³) ← quarry in Wulian (blocks, 60 %)
                                          ← blocks of unknown quarry from India (the rest)
             ← workshop in Hui'an (sub-contracted carving)
    Processor ← a sub-contractor it did not disclose.
    """

    def make(**values):
        return supplychain.facility_create(organisation=buyer, by=owner, **values)

    f = {
        "exporter": make(
            kind="exporter",
            name_zh="厦门海辰石业有限公司",
            name_en="Xiamen Haichen Stone Co., Ltd.",
            province="福建省",
            city="厦门市",
            latitude=Decimal("24.48"),
            longitude=Decimal("118.09"),
        ),
        "processor": make(
            kind="processor",
            name_zh="南安市水头鑫源石材厂",
            name_en="Nan'an Shuitou Xinyuan Stone Factory",
            province="福建省",
            city="泉州市",
            activities=["sawing", "flaming"],
            stone_types=["granite"],
            latitude=Decimal("24.72"),
            longitude=Decimal("118.43"),
        ),
        "workshop": make(
            kind="workshop",
            name_zh="惠安县崇武永兴雕刻厂",
            province="福建省",
            city="泉州市",
            activities=["carving"],
        ),
        "quarry": make(
            kind="quarry",
            name_zh="五莲县叩官镇石材矿",
            province="山东省",
            city="日照市",
            activities=["quarrying"],
            stone_types=["granite"],
        ),
    }
    supplychain.sourcing_set(
        organisation=buyer,
        by=owner,
        facility=f["exporter"],
        annual_volume=Decimal(1000),
        share_of_output=Decimal("0.25"),
    )
    supplychain.link_create(
        organisation=buyer,
        by=owner,
        supplier=f["processor"],
        customer=f["exporter"],
        kind="trades",
        volume=Decimal(900),
    )
    supplychain.link_create(
        organisation=buyer,
        by=owner,
        supplier=f["quarry"],
        customer=f["processor"],
        kind="supplies_blocks",
        share=Decimal("0.6"),
    )
    supplychain.link_create(
        organisation=buyer,
        by=owner,
        supplier=None,
        customer=f["processor"],
        kind="supplies_blocks",
        origin_country="IN",
    )
    supplychain.link_create(
        organisation=buyer,
        by=owner,
        supplier=f["workshop"],
        customer=f["exporter"],
        kind="subcontracts",
    )
    supplychain.link_create(
        organisation=buyer, by=owner, supplier=None, customer=f["processor"], kind="subcontracts"
    )
    return f


@pytest.fixture
def reference_data(transactional_db):
    """The flush after a committed-transaction test removes what migrations loaded: the risk
    taxonomy, the baseline and the defaults are loaded again when missing."""
    from stonebridge.defaults import shipped
    from stonebridge.defaults.models import Default
    from stonebridge.risk import reference
    from stonebridge.risk.models import Baseline, Indicator, Issue

    if not Issue.objects.exists():
        reference.load(Issue, Indicator, Baseline)
    if not Default.objects.exists():
        shipped.load(Default)


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


@pytest.fixture
def small_chain(buyer, owner):
    """A chain a person can rank by hand.

    The buyer buys from an exporter in Xiamen, which sub-contracts dry carving and polishing to a
    workshop in Hui'an (no dust extraction, two 16-year-olds cutting stone) and buys slabs from
    a sawing plant in Nan'an (wet gang saws, 66-hour weeks).
    """

    def make(**values):
        return supplychain.facility_create(organisation=buyer, by=owner, **values)

    exporter = make(
        kind="exporter",
        name_zh="厦门海辰石业有限公司",
        name_en="Xiamen Haichen Stone",
        province="福建省",
        city="厦门市",
        workers=40,
    )
    workshop = make(
        kind="workshop",
        name_zh="惠安县崇武永兴雕刻厂",
        province="福建省",
        city="泉州市",
        activities=["carving", "polishing"],
        workers=25,
    )
    plant = make(
        kind="processor",
        name_zh="南安市水头鑫源石材厂",
        province="福建省",
        city="泉州市",
        activities=["sawing"],
        workers=120,
    )
    supplychain.sourcing_set(
        organisation=buyer,
        by=owner,
        facility=exporter,
        annual_volume=Decimal(900),
        share_of_output=Decimal("0.3"),
    )
    supplychain.link_create(
        organisation=buyer,
        by=owner,
        customer=exporter,
        supplier=workshop,
        kind="subcontracts",
        share=Decimal("0.2"),
    )
    supplychain.link_create(
        organisation=buyer,
        by=owner,
        customer=exporter,
        supplier=plant,
        kind="trades",
        share=Decimal("0.8"),
    )

    def finding(facility, issue, indicator, confidence, summary, people=None):
        return risk.evidence_record(
            organisation=buyer,
            by=owner,
            facility=facility,
            issue=issue,
            indicator=indicator,
            kind="finding",
            observed_on=date(2026, 10, 15),
            source_type="audit",
            confidence=confidence,
            summary=summary,
            people_affected=people,
        )

    finding(workshop, "OHS", "OHS_SILICA", "high", "Dry cutting and polishing, no dust extraction.")
    finding(workshop, "YOUTH", "YOUTH_HAZARDOUS", "medium", "Two 16-year-olds cutting stone.", 2)
    finding(plant, "HOURS_WAGES", "HW_OVERTIME_CAP", "high", "Average 66 hours a week.", 120)
    return {"exporter": exporter, "workshop": workshop, "plant": plant}


@pytest.fixture
def set_default(db):
    """Staff set a StoneBridge default, as they do in the admin: set_default(Key.X, value)."""
    from stonebridge.defaults.services import default_change

    staff = UserFactory(is_staff=True, email="staff@stonebridge.example")
    return lambda key, value: default_change(key=key, value=value, by=staff)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache, as the database it gets is new too."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request or a notice in Chinese earlier in the
    run must not change what the next test reads."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
