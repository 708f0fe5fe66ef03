"""Importing: the same list twice, and updates to links and sourcing."""

from decimal import Decimal

from stonebridge.supplychain.models import (
    Link,
)
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
    assert counts() == (2, 1, 1, 1)
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
