"""Importing: facility rows matched to the shared registry."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from stonebridge.defaults import queries as defaults
from stonebridge.defaults.models import Key
from stonebridge.demo.chain import FACILITIES
from stonebridge.supplychain import importing
from stonebridge.supplychain.models import (
    Facility,
    FacilityRef,
    MatchDecision,
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


def test_a_resemblance_below_the_score_staff_set_is_a_new_facility(buyer, owner, set_default):
    registry(name_zh="厦门海辰石业有限公司", city="厦门", credit_code=code(3))
    set_default(Key.IMPORT_ASK_SCORE, 95)
    before = counts()
    job = upload(buyer, owner, FACILITY_HEADERS, NEAR_MISS)
    assert job.status == Status.DONE, job.review
    assert counts()[0] == before[0] + 1


def test_a_similar_name_nearby_waits_for_review(buyer, owner):
    known = registry(
        name_zh="厦门海辰石业有限公司",
        name_en="Xiamen Haichen Stone",
        city="厦门",
        credit_code=code(3),
        address="思明区环岛路1号",
        workers=35,
    )
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
    assert candidate["score"] >= defaults.value(Key.IMPORT_ASK_SCORE)
    # What tells firms apart is shown beside the candidate; 海晨 is not 海辰, so the brand
    # words differ and "a new facility" is the likelier answer.
    assert (candidate["credit_code"], candidate["address"], candidate["workers"]) == (
        code(3),
        "思明区环岛路1号",
        35,
    )
    assert candidate["same_brand"] is False
    assert counts() == before
    # Checked in the background: the check's outcome is recorded after the upload.
    assert verbs() == ["import.started", "import.needs_review"]


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
        "import.needs_review",
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
    # No reference column: the buyer's list holds the facility by its number in StoneBridge.
    assert unique.refs.get(organisation=buyer).ref == f"#{unique.pk}"


@pytest.fixture
def demo_registry(db):
    """The demo's Chinese facilities, as the shared registry holds them."""
    return {
        name_zh: registry(
            kind=kind,
            name_zh=name_zh,
            name_en=name_en,
            province=province,
            city=city,
            district=district,
            workers=workers,
        )
        for name_zh, name_en, kind, province, city, district, *_, workers in FACILITIES
    }


def test_firms_of_one_town_sharing_place_and_legal_words_are_not_matched(
    buyer, owner, demo_registry
):
    # 磊鑫 beside the demo's 鑫源 and 鑫磊 beside its 鸿运 used to score 90: every such row
    # became a question. Their brand words differ, so they are new facilities.
    rows = [
        ["", "processor", "南安市水头磊鑫石材厂", "", "泉州市", "", ""],
        ["", "processor", "五莲县鑫磊石材加工厂", "", "日照市", "", ""],
    ]
    job = upload(buyer, owner, FACILITY_HEADERS, rows)
    assert job.status == Status.DONE, job.review
    assert job.result == {"created": 2, "matched": 0, "updated": 0}


def test_the_same_firm_written_differently_is_matched_without_asking(buyer, owner, demo_registry):
    rows = [
        ["X1", "processor", "南安水頭鑫源石材廠", "", "泉州市", "", ""],  # traditional, no 市
        ["H1", "processor", "", "Wulian Hongyun Stone", "日照市", "", ""],
        ["J1", "exporter", "莱州金岭石材", "", "烟台", "", ""],
    ]
    job = upload(buyer, owner, FACILITY_HEADERS, rows)
    assert job.status == Status.DONE, job.review
    assert job.result["matched"] == 3
    assert [FacilityRef.objects.get(ref=ref).facility.name_zh for ref in ("X1", "H1", "J1")] == [
        "南安市水头鑫源石材厂",
        "五莲县鸿运石材加工厂",
        "莱州市金岭石材有限公司",
    ]


def test_near_misses_numbered_differently_are_not_asked_about(buyer, owner):
    same_number = registry(name_zh="厦门海辰石业3", city="厦门")
    unnumbered = registry(name_zh="厦门海辰石业", city="厦门")
    registry(name_zh="厦门海辰石业4", city="厦门")  # another firm of the same brand
    job = upload(
        buyer, owner, FACILITY_HEADERS, [["", "processor", "厦门海晨石业3", "", "厦门", "", ""]]
    )
    assert job.status == Status.NEEDS_REVIEW
    [entry] = job.review
    assert {c["id"] for c in entry["candidates"]} == {same_number.pk, unnumbered.pk}


def test_a_facility_saved_without_the_words_of_its_names_is_still_found(buyer, owner):
    # As a facility written before its names' words were kept, or by a path that skips them.
    known = Facility.objects.create(kind="processor", name_zh="厦门海辰石业有限公司", city="厦门")
    assert known.name_parts == ""
    job = upload(buyer, owner, FACILITY_HEADERS, NEAR_MISS)
    [entry] = job.review
    assert [c["id"] for c in entry["candidates"]] == [known.pk]
