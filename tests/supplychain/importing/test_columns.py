"""Importing: the columns of each list, the templates and Open Supply Hub's format."""

from decimal import Decimal

import pytest

from stonebridge.supplychain import importing
from stonebridge.supplychain.models import (
    ChainPosition,
    Facility,
    FacilityRef,
    Link,
)
from tests.supplychain.importing.helpers import Status, counts, table, upload


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_the_templates_import_cleanly_and_build_a_chain(buyer, owner, ext):
    for kind in ("facilities", "links", "sourcing"):
        job = importing.import_start(
            organisation=buyer,
            by=owner,
            data=importing.template(kind, ext),
            filename=f"template.{ext}",
            kind=kind,
        )
        assert job.status == Status.DONE, job.errors
        assert job.result == {"created": 2, "matched": 0, "updated": 0}
        assert job.processed_rows == job.total_rows == 2
    assert counts() == (2, 2, 2, 2)
    processor = FacilityRef.objects.get(organisation=buyer, ref="SUP-0001").facility
    assert processor.kind == "processor"
    assert processor.name_zh == "南安市水头镇示例石材有限公司"
    assert processor.aliases == ["示例石材", "Shili Stone"]
    assert processor.activity_list() == ["flaming", "polishing", "sawing"]
    assert processor.stone_list() == ["granite", "marble"]
    assert processor.migrant_share == Decimal("0.350")
    assert "nananshuitou" in processor.search_text
    gap = Link.objects.get(supplier=None)
    assert (gap.origin_country, gap.share) == ("TR", Decimal("0.400"))
    assert ChainPosition.objects.filter(organisation=buyer).count() == 2


def test_unknown_and_missing_columns_are_named(buyer, owner):
    job = upload(buyer, owner, ["kind", "colour"], [["processor", "red"]])
    assert job.status == Status.FAILED
    messages = " ".join(e["message"] for e in job.errors)
    assert "“colour”" in messages
    assert "name_zh / name_en is missing" in messages


OSHUB_HEADERS = [
    "Country",
    "Name",
    "Address",
    "Sector",
    "Product_Type",
    "Facility_Type",
    "Processing_Type",
    "Number_of_Workers",
    "Parent_Company",
]


def test_an_open_supply_hub_list_is_read(buyer, owner):
    rows = [
        [
            "China",
            "五莲红云花岗岩矿",
            "山东省日照市五莲县",
            "Natural stone",
            "Granite",
            "Quarry",
            "",
            "100-500",
            "",
        ],
        [
            "IN",
            "Rajasthan Stone Works",
            "Udaipur",
            "Natural stone",
            "Marble|Sandstone",
            "Factory",
            "Sawing|Block trading",
            "50",
            "",
        ],
        [
            "Viet Nam",
            "Binh Dinh Granite Trading",
            "",
            "Natural stone",
            "",
            "Trading | Export",
            "",
            "",
            "",
        ],
    ]
    job = upload(buyer, owner, OSHUB_HEADERS, rows, fmt="oshub")
    assert job.status == Status.DONE, job.errors
    quarry = Facility.objects.get(name_zh="五莲红云花岗岩矿")
    assert (quarry.kind, quarry.country, quarry.workers) == ("quarry", "CN", 100)
    works = Facility.objects.get(name_en="Rajasthan Stone Works")
    assert (works.kind, works.country, works.address) == ("processor", "IN", "Udaipur")
    assert works.stone_list() == ["marble", "sandstone"]
    assert works.activity_list() == ["block_trading", "sawing"]
    assert Facility.objects.get(country="VN").kind == "trader"


def test_an_open_supply_hub_list_holds_facilities_only(buyer, owner):
    job = upload(buyer, owner, ["country", "name"], [["CN", "甲"]], kind="links", fmt="oshub")
    assert job.status == Status.FAILED


# A list as Open Supply Hub's own fixtures write it: its documented columns with coordinates,
# countries by name in any case or by ISO code, and a contributor's column of its own.
OSHUB_LIST = (
    "country,name,address,sector,product_type,facility_type,processing_type,"
    "number_of_workers,parent_company,lat,lng,extra_1\r\n"
    'CHINA,Xiamen Haichen Stone Co. Ltd.,"No. 8 Shuitou Road, Nan\'an, Fujian. China",'
    "Natural stone,Granite|Marble,Factory,Sawing|Polishing,120-250,,24.7165,118.4203,A\r\n"
    'Bangladesh,Sylhet Stone Crushing Ltd.,"Jaflong, Gowainghat, Sylhet. Bangladesh",'
    "Natural stone,Other,Quarry,,,,25.1634,92.0175,\r\n"
    'USA,Vermont Granite Works,"1 Quarry Hill Rd, Barre, VT",Natural stone,Granite,'
    "Quarry,Quarrying,85,,44.1570,-72.4930,B\r\n"
    "CN,五莲红云花岗岩矿,山东省日照市五莲县,Natural stone,Granite,Quarry,,,,35.7,119.2,\r\n"
)


def test_a_real_open_supply_hub_list_is_read_as_open_supply_hub_reads_it(buyer, owner):
    job = importing.import_start(
        organisation=buyer,
        by=owner,
        data=OSHUB_LIST.encode(),
        filename="osh.csv",
        kind="facilities",
        fmt="oshub",
    )
    assert job.status == Status.DONE, job.errors
    assert job.notices == [
        "These columns are not part of the list format and were left out: extra_1."
    ]
    by_name = {str(f): f for f in Facility.objects.all()}
    assert sorted((f.country, f.kind) for f in by_name.values()) == [
        ("BD", "quarry"),
        ("CN", "processor"),
        ("CN", "quarry"),
        ("US", "quarry"),
    ]
    haichen = Facility.objects.get(name_en="Xiamen Haichen Stone Co. Ltd.")
    assert (haichen.latitude, haichen.longitude) == (Decimal("24.716500"), Decimal("118.420300"))
    assert haichen.workers == 120
    assert Facility.objects.get(country="US").longitude == Decimal("-72.493000")


@pytest.mark.parametrize(
    ("written", "code"),
    [("CHINA", "CN"), ("china", "CN"), ("Bangladesh", "BD"), ("USA", "US"), ("CN", "CN")],
)
def test_countries_are_read_by_name_in_any_case_or_by_iso_code(buyer, written, code):
    rows, errors = importing.validate(
        buyer, table(kind="processor", name_zh="甲", country=written), "facilities", "stonebridge"
    )
    assert errors == []
    assert rows[0].values["country"] == code
