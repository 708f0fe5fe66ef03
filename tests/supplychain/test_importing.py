"""Importing supplier lists: every row checked, matched to the shared registry, all or nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from stonebridge.audit.models import Entry
from stonebridge.supplychain import importing, services
from stonebridge.supplychain.chain import Edge, find_cycle
from stonebridge.supplychain.codes import credit_code_check_character
from stonebridge.supplychain.models import (
    ChainPosition,
    Facility,
    FacilityRef,
    ImportJob,
    Link,
    MatchDecision,
    Sourcing,
)
from stonebridge.supplychain.tabular import Table, write_csv, write_xlsx

FACILITY_HEADERS = ["ref", "kind", "name_zh", "name_en", "city", "credit_code", "migrant_share"]
Status = ImportJob.Status


def code(number: int) -> str:
    """A valid, invented unified social credit code."""
    first17 = f"91350583MA{number:07d}"
    return first17 + credit_code_check_character(first17)


def registry(**values: object) -> Facility:
    """A facility someone else already put in the shared registry."""
    facility = Facility(kind=values.pop("kind", "processor"), **values)
    services.prepare_facility(facility)
    facility.save()
    return facility


def upload(
    organisation,
    by,
    headers,
    rows,
    *,
    kind="facilities",
    fmt="stonebridge",
    ext="csv",
) -> ImportJob:
    data = write_csv(headers, rows) if ext == "csv" else write_xlsx(headers, rows, sheet_title="x")
    return importing.import_start(
        organisation=organisation, by=by, data=data, filename=f"list.{ext}", kind=kind, fmt=fmt
    )


def counts() -> tuple[int, int, int, int]:
    return (
        Facility.objects.count(),
        Link.objects.count(),
        Sourcing.objects.count(),
        FacilityRef.objects.count(),
    )


def verbs() -> list[str]:
    return list(
        Entry.objects.filter(verb__startswith="import.")
        .order_by("pk")
        .values_list("verb", flat=True)
    )


def import_facilities(buyer, owner, rows):
    """Facilities with the buyer's references, for links and sourcing files to refer to."""
    job = upload(buyer, owner, ["ref", "kind", "name_zh", "city", "credit_code"], rows)
    assert job.status == Status.DONE, job.errors
    return {ref: FacilityRef.objects.get(organisation=buyer, ref=ref).facility for ref, *_ in rows}


# Files as people make them ---------------------------------------------------------------------


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


def test_a_gb18030_csv_from_chinese_excel_keeps_the_chinese_names(buyer, owner):
    text = (
        "类型,中文名称,省份,城市,工序\r\n"
        "加工厂,南安市水头镇鑫源石材厂,福建省,南安市,锯切、抛光\r\n"
        "矿山,五莲县红云花岗岩矿,山东省,日照市,开采\r\n"
    )
    job = importing.import_start(
        organisation=buyer,
        by=owner,
        data=text.encode("gb18030"),
        filename="供应商.csv",
        kind="facilities",
    )
    assert job.status == Status.DONE, job.errors
    assert set(Facility.objects.values_list("name_zh", "province", "kind")) == {
        ("南安市水头镇鑫源石材厂", "福建省", "processor"),
        ("五莲县红云花岗岩矿", "山东省", "quarry"),
    }


def test_a_utf8_file_with_a_byte_order_mark_is_read(buyer, owner):
    text = "\ufeffkind,name_zh,city\nprocessor,厦门海辰石业有限公司,厦门\n"
    job = importing.import_start(
        organisation=buyer, by=owner, data=text.encode(), filename="l.csv", kind="facilities"
    )
    assert job.status == Status.DONE, job.errors
    assert Facility.objects.get().name_zh == "厦门海辰石业有限公司"


def test_an_xlsx_list_with_numbers_in_number_cells(buyer, owner):
    headers = ["类型 / Kind (kind)", "中文名称", "Workers", "migrant_share", "latitude"]
    job = upload(
        buyer, owner, headers, [["workshop", "惠安县崇武永兴雕刻厂", 35, 0.35, 25.03]], ext="xlsx"
    )
    assert job.status == Status.DONE, job.errors
    facility = Facility.objects.get()
    assert (facility.kind, facility.workers) == ("workshop", 35)
    assert facility.migrant_share == Decimal("0.350")
    assert facility.latitude == Decimal("25.030000")


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
    assert verbs() == ["import.started"]


def test_unknown_and_missing_columns_are_named(buyer, owner):
    job = upload(buyer, owner, ["kind", "colour"], [["processor", "red"]])
    assert job.status == Status.FAILED
    messages = " ".join(e["message"] for e in job.errors)
    assert "“colour”" in messages
    assert "name_zh / name_en is missing" in messages


def test_an_unreadable_file_is_a_failed_job(buyer, owner):
    job = importing.import_start(
        organisation=buyer, by=owner, data=b"PK\x03\x04junk", filename="l.xlsx", kind="facilities"
    )
    assert job.status == Status.FAILED
    assert job.errors[0]["row"] == 0
    assert "Excel" in job.errors[0]["message"]


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


def table(**cells: str) -> Table:
    return Table(headers=list(cells), rows=[cells], row_numbers=[2])


@pytest.mark.parametrize(
    ("written", "share"),
    [("35%", "0.350"), ("35 %", "0.350"), ("0.35", "0.350"), ("0,35", "0.350"), ("1", "1.000")],
)
def test_shares_as_spreadsheets_write_them(buyer, written, share):
    rows, errors = importing.validate(
        buyer,
        table(kind="processor", name_zh="甲", migrant_share=written),
        "facilities",
        "stonebridge",
    )
    assert errors == []
    assert rows[0].values["migrant_share"] == Decimal(share)


@pytest.mark.parametrize(
    ("column", "written"),
    [
        ("migrant_share", "1.5"),
        ("migrant_share", "-0.1"),
        ("workers", "twelve"),
        ("workers", "3.5"),
        ("latitude", "91"),
        ("country", "Atlantis"),
        ("kind", "castle"),
        ("activities", "sawing; juggling"),
    ],
)
def test_values_out_of_range_or_unknown_are_errors(buyer, column, written):
    cells = {"kind": "processor", "name_zh": "甲", column: written}
    rows, errors = importing.validate(buyer, table(**cells), "facilities", "stonebridge")
    assert rows == []
    assert [(e["row"], e["column"]) for e in errors] == [(2, column)]


def test_values_are_read_in_either_language(buyer):
    rows, errors = importing.validate(
        buyer,
        table(
            kind="Workshop / sub-contractor",
            name_en="Yongxing Carving",
            country="India",
            activities="雕刻, Bush-hammering\uff5csplitting",  # a full-width |
            stone_types="花岗岩\uff1bBluestone / limestone",  # a full-width ;
            workers="1,200",
        ),
        "facilities",
        "stonebridge",
    )
    assert errors == []
    values = rows[0].values
    assert values["kind"] == "workshop"
    assert values["country"] == "IN"
    assert values["activities"] == ",bush_hammering,carving,splitting,"
    assert values["stone_types"] == ",bluestone,granite,"
    assert values["workers"] == 1200


# Matching the shared registry ------------------------------------------------------------------


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


def test_a_row_with_a_registry_credit_code_is_that_facility(buyer, owner):
    known = registry(name_zh="泉州鑫源石材有限公司", city="泉州", credit_code=code(7))
    row = ["Q1", "trader", "", "Quanzhou Xinyuan Stone", "Nan'an", code(7), "30%"]
    job = upload(buyer, owner, FACILITY_HEADERS, [row])
    assert job.result == {"created": 0, "matched": 1, "updated": 1}
    assert FacilityRef.objects.get(organisation=buyer, ref="Q1").facility == known
    known.refresh_from_db()
    # Empty fields are filled in; what the registry has is not overwritten.
    assert (known.kind, known.city, known.name_zh) == ("processor", "泉州", "泉州鑫源石材有限公司")
    assert (known.name_en, known.migrant_share) == ("Quanzhou Xinyuan Stone", Decimal("0.300"))
    assert "quanzhouxinyuanstone" in known.search_text
    assert Facility.objects.count() == 1


@pytest.mark.parametrize(
    ("known", "row"),
    [
        # the same hanzi in the same city, however the city is written
        (
            {"name_zh": "厦门海辰石业有限公司", "city": "厦门市"},
            ("厦门海辰石业有限公司", "", "厦门"),
        ),
        (
            {"name_zh": "厦门海辰石业有限公司", "city": "Xiamen"},
            ("厦门海辰石业有限公司", "", "厦门"),
        ),
        # pinyin in the registry, hanzi in the list
        (
            {"name_en": "Xiamen Haichen Shiye Youxian Gongsi", "city": "Xiamen"},
            ("厦门海辰石业有限公司", "", "厦门"),
        ),
        # hanzi in the registry, pinyin in the list
        (
            {"name_zh": "厦门海辰石业有限公司", "city": "厦门"},
            ("", "Xiamen Haichen Shiye Youxian Gongsi", "Xiamen City"),
        ),
        # English to English
        (
            {"name_en": "Xiamen Haichen Stone Co., Ltd.", "city": "厦门"},
            ("", "XIAMEN HAICHEN STONE CO LTD", "厦门"),
        ),
    ],
)
def test_the_same_name_in_the_same_city_is_that_facility(buyer, owner, known, row):
    facility = registry(**known)
    name_zh, name_en, city = row
    job = upload(
        buyer, owner, FACILITY_HEADERS, [["H1", "exporter", name_zh, name_en, city, "", ""]]
    )
    assert job.status == Status.DONE, (job.errors, job.review)
    assert FacilityRef.objects.get(ref="H1").facility == facility
    assert Facility.objects.count() == 1


def test_the_same_name_in_another_city_is_another_facility(buyer, owner):
    registry(name_zh="鑫源石材厂", city="南安")
    job = upload(
        buyer, owner, FACILITY_HEADERS, [["", "processor", "鑫源石材厂", "", "云浮", "", ""]]
    )
    assert job.result["created"] == 1


def test_a_facility_with_another_credit_code_is_not_matched_by_name(buyer, owner):
    registry(name_zh="厦门海辰石业有限公司", city="厦门", credit_code=code(1))
    row = ["", "processor", "厦门海辰石业有限公司", "", "厦门", code(2), ""]
    job = upload(buyer, owner, FACILITY_HEADERS, [row])
    assert job.result["created"] == 1


def test_a_reference_for_a_facility_with_another_credit_code_is_an_error(buyer, owner):
    import_facilities(buyer, owner, [["H1", "processor", "厦门海辰石业有限公司", "厦门", code(1)]])
    job = upload(buyer, owner, FACILITY_HEADERS, [["H1", "processor", "", "X", "", code(2), ""]])
    assert job.status == Status.FAILED
    assert job.errors[0]["row"] == 2
    assert "Your reference H1" in job.errors[0]["message"]


NEAR_MISS = [["", "processor", "厦门海晨石业", "", "厦门", "", ""]]


def test_a_similar_name_nearby_waits_for_review(buyer, owner):
    known = registry(name_zh="厦门海辰石业有限公司", name_en="Xiamen Haichen Stone", city="厦门")
    registry(name_zh="泉州海辰石业有限公司", city="泉州")  # elsewhere: not a candidate
    before = counts()
    job = upload(buyer, owner, FACILITY_HEADERS, NEAR_MISS)
    assert job.status == Status.NEEDS_REVIEW
    [entry] = job.review
    assert (entry["row"], entry["row_key"], entry["name"]) == (
        2,
        "厦门海晨石业|厦门",
        "厦门海晨石业",
    )
    [candidate] = entry["candidates"]
    assert candidate["id"] == known.pk
    assert candidate["name"] == "厦门海辰石业有限公司 (Xiamen Haichen Stone)"
    assert candidate["score"] >= importing.SIMILAR
    assert counts() == before
    assert verbs() == ["import.started"]


def test_confirming_a_match_imports_the_list_and_is_remembered(buyer, owner):
    known = registry(name_zh="厦门海辰石业有限公司", city="厦门")
    job = upload(buyer, owner, FACILITY_HEADERS, NEAR_MISS)
    job = importing.import_decide(
        job=job, by=owner, row_key="厦门海晨石业|厦门", candidate=known, same=True
    )
    assert job.status == Status.DONE
    assert job.result == {"created": 0, "matched": 1, "updated": 0}
    assert MatchDecision.objects.get().decided_by == owner
    again = upload(buyer, owner, FACILITY_HEADERS, NEAR_MISS)
    assert again.status == Status.DONE
    assert again.result["matched"] == 1
    assert Facility.objects.count() == 1
    assert verbs() == [
        "import.started",
        "import.match_decided",
        "import.completed",
        "import.started",
        "import.completed",
    ]


def test_rejecting_a_match_creates_a_facility_and_is_remembered(buyer, owner):
    known = registry(name_zh="厦门海辰石业有限公司", city="厦门")
    job = upload(buyer, owner, FACILITY_HEADERS, NEAR_MISS)
    job = importing.import_decide(
        job=job, by=owner, row_key="厦门海晨石业|厦门", candidate=known, same=False
    )
    assert job.status == Status.DONE
    assert job.result["created"] == 1
    assert Facility.objects.filter(name_zh="厦门海晨石业").exists()
    assert not MatchDecision.objects.get().same
    again = upload(buyer, owner, FACILITY_HEADERS, NEAR_MISS)
    assert again.status == Status.DONE
    assert Facility.objects.count() == 2


def test_a_rejected_candidate_is_not_asked_about_again(buyer, owner):
    known = registry(name_zh="厦门海辰石业有限公司", city="厦门")
    MatchDecision.objects.create(
        organisation=buyer, row_key="厦门海晨石业|厦门", candidate=known, same=False
    )
    job = upload(buyer, owner, FACILITY_HEADERS, NEAR_MISS)
    assert job.status == Status.DONE
    assert job.result["created"] == 1


def test_only_a_candidate_of_a_waiting_import_can_be_decided(buyer, owner):
    registry(name_zh="厦门海辰石业有限公司", city="厦门")
    stranger = registry(name_zh="无关石材厂", city="云浮")
    job = upload(buyer, owner, FACILITY_HEADERS, NEAR_MISS)
    with pytest.raises(ValidationError):
        importing.import_decide(
            job=job, by=owner, row_key="厦门海晨石业|厦门", candidate=stranger, same=True
        )
    done = upload(buyer, owner, FACILITY_HEADERS, [["", "processor", "甲", "", "", "", ""]])
    with pytest.raises(ValidationError):
        importing.import_decide(job=done, by=owner, row_key="甲|", candidate=stranger, same=True)


def test_a_name_without_a_city_matches_only_if_it_is_unique(buyer, owner):
    registry(name_zh="鑫源石材厂", city="南安")
    registry(name_zh="鑫源石材厂", city="云浮")
    unique = registry(name_zh="红云花岗岩矿", city="五莲")
    rows = [
        ["", "processor", "鑫源石材厂", "", "", "", ""],
        ["", "quarry", "红云花岗岩矿", "", "", "", ""],
    ]
    job = upload(buyer, owner, FACILITY_HEADERS, rows)
    assert job.status == Status.NEEDS_REVIEW
    [entry] = job.review
    assert entry["row"] == 2
    assert [c["score"] for c in entry["candidates"]] == [100, 100]
    for candidate in entry["candidates"]:
        job = importing.import_decide(
            job=job,
            by=owner,
            row_key=entry["row_key"],
            candidate=Facility.objects.get(pk=candidate["id"]),
            same=False,
        )
    assert job.status == Status.DONE
    assert job.result == {"created": 1, "matched": 1, "updated": 0}
    assert unique.refs.count() == 0  # no reference column: the list only vouches for the facility


# Links and sourcing ---------------------------------------------------------------------------


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
    assert error["message"] == "This link closes a loop: 丙 → 甲 → 乙 → 丙."
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


# Open Supply Hub -----------------------------------------------------------------------------

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


# The job ---------------------------------------------------------------------------------------


def test_a_queued_job_is_checked_again_when_it_runs(buyer, owner):
    job = ImportJob.objects.create(
        organisation=buyer,
        created_by=owner,
        kind="links",
        format="stonebridge",
        filename="links.csv",
        data=write_csv(["supplier", "customer", "kind"], [["X", "Y", "trades"]]),
        status=Status.QUEUED,
        total_rows=1,
    )
    job = importing.import_run(job_id=job.pk)
    assert job.status == Status.FAILED
    assert {e["column"] for e in job.errors} == {"supplier", "customer"}
    assert job.finished_at is not None
    assert verbs() == ["import.failed"]
    # Run twice (a worker and the command line): the second run does nothing.
    assert importing.import_run(job_id=job.pk).status == Status.FAILED
    assert verbs() == ["import.failed"]


def test_thousands_of_errors_are_kept_to_a_readable_number(buyer, owner):
    rows = [["", "castle", "甲", "", "", "", ""]] * (importing.MAX_STORED_ERRORS + 5)
    job = upload(buyer, owner, FACILITY_HEADERS, rows)
    assert len(job.errors) == importing.MAX_STORED_ERRORS + 1
    assert job.errors[-1]["message"] == "… and 5 more errors."
