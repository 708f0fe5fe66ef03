"""Importing: every row checked, and what links and sourcing files call a facility."""

from decimal import Decimal

from stonebridge.supplychain import services
from stonebridge.supplychain.chain import Edge, find_cycle
from stonebridge.supplychain.models import (
    ChainPosition,
    Link,
    Sourcing,
)
from tests.supplychain.importing.helpers import (
    FACILITY_HEADERS,
    Status,
    code,
    counts,
    import_facilities,
    registry,
    upload,
    verbs,
)


def test_a_broken_file_changes_nothing_and_lists_every_error(buyer, owner):
    registry(name_zh="厦门海辰石业有限公司", city="厦门")
    before = counts()
    rows = [
        ["A1", "processor", "南安鑫源石材厂", "", "南安", code(1), "20%"],
        ["A2", "processor", "南安宏达石材厂", "", "南安", "91350583MA2Y3K7L19", ""],
        ["A3", "quarry", "五莲红云矿", "", "五莲", "", ""],
        ["A4", "processor", "南安华丰石材厂", "", "南安", "", "1.5"],
        ["A5", "", "", "", "南安", "", ""],
    ]
    job = upload(buyer, owner, FACILITY_HEADERS, rows)
    assert job.status == Status.FAILED
    assert [(e["row"], e["column"]) for e in job.errors] == [
        (3, "credit_code"),
        (5, "migrant_share"),
        (6, "kind"),
        (6, "name_zh"),
    ]
    assert "does not add up" in job.errors[0]["message"]
    assert counts() == before
    assert verbs() == ["import.started", "import.failed"]


def test_duplicates_within_the_file_are_errors(buyer, owner):
    rows = [
        ["R1", "processor", "甲石材厂", "", "南安", code(1), ""],
        ["R1", "processor", "乙石材厂", "", "南安", code(2), ""],
        ["R3", "processor", "丙石材厂", "", "南安", code(1), ""],
    ]
    job = upload(buyer, owner, FACILITY_HEADERS, rows)
    assert [(e["row"], e["column"], e["message"]) for e in job.errors] == [
        (3, "ref", "Row 2 has the same reference."),
        (4, "credit_code", "Row 2 has the same credit code."),
    ]


def test_links_and_sourcing_name_facilities_by_reference_or_credit_code(buyer, owner):
    facilities = import_facilities(
        buyer,
        owner,
        [
            ["EXP", "exporter", "厦门海辰石业有限公司", "厦门", code(1)],
            ["PRO", "processor", "南安鑫源石材厂", "南安", code(2)],
            ["QUA", "quarry", "五莲红云花岗岩矿", "五莲", ""],
        ],
    )
    links = [
        [code(2), "EXP", "贸易", "", ""],
        ["QUA", "PRO", "Supplies blocks", "60%", ""],
        ["未知", "PRO", "supplies_blocks", "", "Turkey"],
    ]
    job = upload(
        buyer,
        owner,
        ["supplier", "customer", "kind", "share", "origin_country"],
        links,
        kind="links",
    )
    assert job.status == Status.DONE, job.errors
    job = upload(
        buyer,
        owner,
        ["supplier", "annual_volume", "annual_value", "currency", "share_of_output"],
        [[code(1), "1,200", "96000", "rmb", "15%"]],
        kind="sourcing",
    )
    assert job.status == Status.DONE, job.errors
    sourcing = Sourcing.objects.get()
    assert (sourcing.facility, sourcing.annual_volume) == (facilities["EXP"], Decimal("1200.00"))
    assert (sourcing.currency, sourcing.share_of_output) == ("CNY", Decimal("0.150"))
    assert Link.objects.get(supplier=None).origin_country == "TR"
    tiers = dict(
        ChainPosition.objects.filter(organisation=buyer).values_list("facility_id", "tier")
    )
    assert tiers == {facilities["EXP"].pk: 1, facilities["PRO"].pk: 2, facilities["QUA"].pk: 3}


def test_references_that_do_not_resolve_are_errors(buyer, owner):
    import_facilities(buyer, owner, [["P", "processor", "甲石材厂", "南安", ""]])
    job = upload(
        buyer,
        owner,
        ["supplier", "customer", "kind"],
        [["NOPE", "P", "trades"], ["P", "", "trades"], ["P", "P", "trades"]],
        kind="links",
    )
    assert [(e["row"], e["column"]) for e in job.errors] == [
        (2, "supplier"),
        (3, "customer"),
        (4, "supplier"),
    ]
    assert "NOPE" in job.errors[0]["message"]
    assert Link.objects.count() == 0


def test_another_buyers_references_are_not_this_buyers(buyer, owner, other_buyer_org):
    import_facilities(buyer, owner, [["P", "processor", "甲石材厂", "南安", ""]])
    job = upload(
        other_buyer_org, None, ["supplier", "annual_volume"], [["P", "1"]], kind="sourcing"
    )
    assert job.status == Status.FAILED


def test_a_loop_in_a_links_file_is_an_error_on_the_row_that_closes_it(buyer, owner):
    import_facilities(
        buyer,
        owner,
        [
            ["A", "processor", "甲", "", ""],
            ["B", "processor", "乙", "", ""],
            ["C", "trader", "丙", "", ""],
        ],
    )
    rows = [["A", "B", "trades"], ["B", "C", "trades"], ["C", "A", "trades"]]
    job = upload(buyer, owner, ["supplier", "customer", "kind"], rows, kind="links")
    assert job.status == Status.FAILED
    [error] = job.errors
    assert (error["row"], error["column"]) == (4, "supplier")
    # Names known only in hanzi, in pinyin beside them for an English reader.
    assert (
        error["message"] == "This link closes a loop: Bing (丙) → Jia (甲) → Yi (乙) → Bing (丙)."
    )
    assert Link.objects.count() == 0


def test_a_link_that_loops_with_an_existing_link_is_an_error(buyer, owner):
    facilities = import_facilities(
        buyer, owner, [["A", "processor", "甲", "", ""], ["B", "processor", "乙", "", ""]]
    )
    services.link_create(
        organisation=buyer,
        by=owner,
        supplier=facilities["B"],
        customer=facilities["A"],
        kind="trades",
    )
    rows = [["A", "B", "subcontracts"], ["A", "A", "trades"]]
    job = upload(buyer, owner, ["supplier", "customer", "kind"], rows, kind="links")
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "supplier"), (3, "supplier")]


def test_find_cycle_names_the_loop_in_the_order_goods_flow():
    assert find_cycle([Edge(1, 2, "trades"), Edge(2, 3, "trades"), Edge(None, 3, "trades")]) is None
    assert find_cycle([Edge(1, 2, "trades"), Edge(2, 3, "trades"), Edge(3, 1, "trades")]) == [
        1,
        2,
        3,
        1,
    ]
    assert find_cycle([Edge(5, 5, "trades")]) == [5, 5]
