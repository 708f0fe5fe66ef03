"""Importing: the same list twice, and updates to links and sourcing."""

from decimal import Decimal

import pytest
from django.urls import reverse

from stonebridge.supplychain import exporting
from stonebridge.supplychain.models import (
    ChainPosition,
    Facility,
    FacilityRef,
    Link,
    Sourcing,
)
from tests.conftest import client_for
from tests.supplychain.importing.helpers import (
    FACILITY_HEADERS,
    Status,
    code,
    counts,
    import_facilities,
    upload,
)


def test_importing_the_same_files_twice_creates_no_duplicates(buyer, owner):
    rows = [
        ["N1", "processor", "南安鑫源石材厂", "", "南安", code(1), "20%"],
        ["", "quarry", "五莲红云花岗岩矿", "Wulian Hongyun Quarry", "五莲", "", ""],
    ]
    links = [["N1", "unknown", "supplies_blocks", "IN"]]
    sourcing = [["N1", "100"]]
    for _ in range(2):
        assert upload(buyer, owner, FACILITY_HEADERS, rows).status == Status.DONE
        job = upload(
            buyer, owner, ["customer", "supplier", "kind", "origin_country"], links, kind="links"
        )
        assert job.status == Status.DONE, job.errors
        job = upload(buyer, owner, ["supplier", "annual_volume"], sourcing, kind="sourcing")
        assert job.status == Status.DONE, job.errors
    # The quarry row has no reference: the list holds it by its number in StoneBridge.
    assert counts() == (2, 1, 1, 2)
    assert job.result == {"created": 0, "matched": 1, "updated": 0}


def test_a_second_upload_updates_links_and_sourcing(buyer, owner):
    facilities = import_facilities(
        buyer, owner, [["P", "processor", "甲石材厂", "南安", ""], ["Q", "quarry", "乙矿", "", ""]]
    )
    headers = ["supplier", "customer", "kind", "share"]
    upload(buyer, owner, headers, [["Q", "P", "supplies_blocks", "50%"]], kind="links")
    job = upload(buyer, owner, headers, [["Q", "P", "supplies_blocks", "80%"]], kind="links")
    assert job.result == {"created": 0, "matched": 1, "updated": 1}
    link = Link.objects.get()
    assert (link.supplier, link.share) == (facilities["Q"], Decimal("0.800"))


OSHUB_ROWS = [
    [
        "CN",
        "南安市水头镇鑫源石材厂",
        "福建省南安市水头镇",
        "Granite",
        "Factory",
        "",
        "24.7",
        "118.4",
    ],
    ["IN", "Rajasthan Stone Works", "Udaipur", "Marble", "Factory", "50", "", ""],
]
OSHUB_HEADERS = [
    "country",
    "name",
    "address",
    "product_type",
    "facility_type",
    "number_of_workers",
    "lat",
    "lng",
]


@pytest.mark.parametrize("fmt", ["stonebridge", "oshub"])
def test_an_imported_list_is_the_buyers_list_untiered_until_linked(buyer, owner, fmt):
    if fmt == "oshub":
        job = upload(buyer, owner, OSHUB_HEADERS, OSHUB_ROWS, fmt="oshub")
    else:
        job = upload(
            buyer,
            owner,
            ["ref", "kind", "name_zh", "name_en", "country", "latitude", "longitude"],
            [
                ["S1", "processor", "南安市水头镇鑫源石材厂", "", "CN", "24.7", "118.4"],
                ["S2", "processor", "", "Rajasthan Stone Works", "IN", "", ""],
            ],
        )
    assert job.status == Status.DONE, job.errors
    facilities = set(Facility.objects.values_list("pk", flat=True))
    assert set(
        FacilityRef.objects.filter(organisation=buyer).values_list("facility", flat=True)
    ) == (facilities)
    # Untiered: no sourcing is invented to put them in the chain.
    assert not Sourcing.objects.exists()
    assert not ChainPosition.objects.exists()

    listed = client_for(owner).get(
        reverse("supplychain:facilities", args=[buyer.slug]), {"tier": "-1"}
    )
    body = listed.content.decode()
    assert "南安市水头镇鑫源石材厂" in body
    assert "Rajasthan Stone Works" in body
    assert body.count("On your list, not linked yet") == 2

    headers, rows = exporting.export_oshub(buyer)
    exported = {row[headers.index("name")]: row for row in rows}
    assert set(exported) == {"南安市水头镇鑫源石材厂", "Rajasthan Stone Works"}
    assert exported["南安市水头镇鑫源石材厂"][headers.index("lat")] == Decimal("24.700000")
    _headers, own = exporting.export_table(buyer, "facilities")
    assert len(own) == 2
