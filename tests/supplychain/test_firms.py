"""Telling firms apart: the same firm written differently matches, two firms of one town do not."""

import csv
from pathlib import Path

import opencc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stonebridge.demo.chain import FACILITIES
from stonebridge.supplychain.firms import INDUSTRY_WORDS, Firm, Places, compare

PAIRS = Path(__file__).parent / "data" / "firm_pairs.csv"
# The places the demo registry holds (province, city, district of its facilities).
DEMO_PLACES = Places.from_fields(field for row in FACILITIES for field in row[3:6])
TO_TRADITIONAL = opencc.OpenCC("s2t")


def _firm(row: dict[str, str], side: str) -> Firm:
    return Firm(
        name_zh=row[f"{side}_name_zh"],
        name_en=row[f"{side}_name_en"],
        province=row[f"{side}_province"],
        city=row[f"{side}_city"],
        credit_code=row[f"{side}_credit_code"],
    )


def _pairs() -> list[tuple[Firm, Firm, bool, str]]:
    with PAIRS.open(encoding="utf-8", newline="") as file:
        return [
            (_firm(row, "a"), _firm(row, "b"), row["same"] == "1", row["why"])
            for row in csv.DictReader(file)
        ]


def test_the_labelled_pairs_cover_both_kinds():
    pairs = _pairs()
    assert len(pairs) >= 40
    assert sum(same for *_, same, _why in pairs) >= 20
    assert sum(not same for *_, same, _why in pairs) >= 15


def test_every_same_firm_pair_scores_above_every_different_firm_pair():
    pairs = _pairs()
    same = [(compare(a, b, DEMO_PLACES).score, why) for a, b, is_same, why in pairs if is_same]
    different = [
        (compare(a, b, DEMO_PLACES).score, why) for a, b, is_same, why in pairs if not is_same
    ]
    assert min(same) > max(different), (min(same), max(different))


@pytest.mark.parametrize(
    ("a", "b", "why"),
    [(a, b, why) for a, b, same, why in _pairs() if same],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_the_same_firm_written_differently_is_matched_without_asking(a, b, why):
    assert compare(a, b, DEMO_PLACES).matches


@pytest.mark.parametrize(
    ("a", "b", "why"),
    [(a, b, why) for a, b, same, why in _pairs() if not same],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_different_firms_are_never_matched(a, b, why):
    assert not compare(a, b, DEMO_PLACES).matches


def test_the_demo_firms_the_old_matching_confused_are_told_apart():
    leixin = Firm(name_zh="泉州磊鑫石材厂", province="福建省", city="泉州市")
    xinyuan = Firm(name_zh="南安市水头鑫源石材厂", province="福建省", city="泉州市")
    comparison = compare(leixin, xinyuan, DEMO_PLACES)
    assert (comparison.brand_a, comparison.brand_b) == ("磊鑫", "鑫源")
    assert not comparison.brand_agrees
    assert comparison.score < 50


def test_a_different_credit_code_is_never_the_same_firm():
    a = Firm(name_zh="南安市水头鑫源石材厂", credit_code="91350583MA2Y00001A")
    b = Firm(name_zh="南安市水头鑫源石材厂", credit_code="91350583MA2Y00002B")
    comparison = compare(a, b)
    assert (comparison.score, comparison.matches, comparison.contradiction) == (
        0,
        False,
        "credit_code",
    )


def test_a_city_of_another_prefecture_contradicts_but_a_county_inside_it_does_not():
    quanzhou = Firm(name_zh="南安市水头鑫源石材厂", city="泉州市", district="南安市水头镇")
    assert compare(quanzhou, Firm(name_zh="鑫源石材厂", city="南安")).matches
    other = compare(quanzhou, Firm(name_zh="鑫源石材厂", city="云浮市"))
    assert (other.brand_agrees, other.contradiction, other.matches) == (True, "city", False)


def test_a_place_named_with_its_suffix_in_one_name_is_a_place_in_the_other():
    # Neither 水头 nor 南安 is known beforehand: 南安市水头镇 says both are places.
    comparison = compare(Firm(name_zh="南安水头鑫源石材厂"), Firm(name_zh="南安市水头镇鑫源石材厂"))
    assert (comparison.brand_a, comparison.brand_b, comparison.matches) == ("鑫源", "鑫源", True)


def test_a_quarry_without_a_brand_is_known_by_its_town():
    comparison = compare(Firm(name_zh="五莲县叩官镇石材矿"), Firm(name_zh="五莲县汪湖镇石材矿"))
    assert (comparison.brand_a, comparison.brand_b, comparison.matches) == ("叩官", "汪湖", False)


names = st.text(max_size=30)
firms = st.builds(
    Firm,
    name_zh=names,
    name_en=names,
    province=st.sampled_from(["", "福建省", "山东", "Fujian"]),
    city=st.sampled_from(["", "泉州市", "南安", "Xiamen"]),
)


@given(firms, firms)
def test_comparing_is_symmetric_and_bounded(a, b):
    one, other = compare(a, b), compare(b, a)
    assert one.score == other.score
    assert one.matches == other.matches
    assert 0 <= one.score <= 100


BRAND_CHARACTERS = "鑫源宏达金岭华丰永兴辰磊晶泰盛恒顺鸿运"
brands = st.lists(st.sampled_from(BRAND_CHARACTERS), min_size=2, max_size=3, unique=True).map(
    "".join
)
places = st.sampled_from(["", "南安市", "南安", "南安市水头镇", "泉州", "五莲县", "福建省厦门市"])
legal = st.sampled_from(["", "有限公司", "有限责任公司", "股份有限公司", "厂", "加工厂"])
industry = st.sampled_from(["", *INDUSTRY_WORDS[:6]])


def _name(place: str, brand: str, industry_word: str, legal_form: str) -> str:
    return place + brand + industry_word + legal_form


@given(places, places, brands, industry, industry, legal, legal, st.booleans())
def test_one_brand_in_any_dress_matches(
    place_a, place_b, brand, ind_a, ind_b, legal_a, legal_b, trad
):
    a = _name(place_a, brand, ind_a, legal_a)
    b = _name(place_b, brand, ind_b, legal_b)
    if trad:
        b = TO_TRADITIONAL.convert(b)
    assert compare(Firm(name_zh=a), Firm(name_zh=b), DEMO_PLACES).matches


@given(places, brands, brands, industry, legal)
def test_another_brand_with_the_same_place_and_legal_words_never_matches(
    place, brand_a, brand_b, industry_word, legal_form
):
    a = _name(place, brand_a, industry_word, legal_form)
    b = _name(place, brand_b, industry_word, legal_form)
    comparison = compare(Firm(name_zh=a), Firm(name_zh=b), DEMO_PLACES)
    assert comparison.matches == (brand_a == brand_b)


def test_a_town_no_list_knows_is_not_taken_for_the_brand():
    # Nothing says 水头 is a place; both names start with it and go on differently.
    comparison = compare(Firm(name_zh="南安市水头磊鑫石材厂"), Firm(name_zh="南安市水头鑫源石材厂"))
    assert not comparison.brand_agrees
    assert comparison.score < 50
