"""Finding a facility by hanzi, pinyin with or without tones and spaces, initials or English."""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from stonebridge.supplychain.names import name_similarity, pinyin_of, query_key, search_keys

HAICHEN_ZH = "厦门海辰石业有限公司"
HAICHEN_EN = "Xiamen Haichen Stone Co., Ltd."
HAICHEN_KEYS = search_keys(HAICHEN_ZH, HAICHEN_EN)


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) for c in text)


def found(query: str, keys: str = HAICHEN_KEYS) -> bool:
    key = query_key(query)
    return bool(key) and key in keys


@pytest.mark.parametrize(
    "query",
    [
        "海辰",  # hanzi
        "厦门海辰石业",
        "Hǎichén",  # pinyin with tone marks
        "Xiàmén Hǎichén",
        "hai chen",  # pinyin with spaces
        "haichen",
        "HAICHEN",
        "xmhc",  # initials
        "Haichen Stone",  # English
        "stone co",
        full_width("haichen"),  # typed with a full-width input method
    ],
)
def test_a_facility_is_found_by_the_ways_people_write_its_name(query):
    assert found(query)


@pytest.mark.parametrize("query", ["海晨", "granite", "xmhx", "haichenshicai"])
def test_other_names_are_not_found(query):
    assert not found(query)


def test_the_keys_of_a_chinese_name_hold_its_pinyin_and_initials():
    keys = search_keys("厦门海辰")
    assert keys == "厦门海辰 xiamenhaichen xmhc"
    assert keys == keys.lower()


def test_tone_marks_are_stripped_from_latin_names():
    assert "xiamenhaichen" in search_keys("Xiàmén Hǎichén").split()


def test_every_name_gets_a_line_and_empty_names_are_left_out():
    keys = search_keys("厦门海辰", "", "  ", "Haichen Stone")
    assert keys.splitlines() == ["厦门海辰 xiamenhaichen xmhc", "haichen stone haichenstone"]
    assert search_keys() == ""


def test_u_with_umlaut_is_found_as_u_or_v():
    keys = search_keys("绿石")
    assert found("lüshi", keys)
    assert found("lushi", keys)
    assert found("lvshi", keys)


def test_a_query_is_reduced_to_letters_and_digits():
    assert query_key("  Hǎi-Chén (Xiàmén) ") == "haichenxiamen"
    assert query_key("海辰 石业") == "海辰石业"
    assert query_key(full_width("ABC") + "\u3000" + full_width("123")) == "abc123"
    assert query_key(" ,.-") == ""


def test_pinyin_for_display_is_in_capitalised_words():
    assert pinyin_of(HAICHEN_ZH) == "Xiamen Haichen Shiye Youxian Gongsi"
    assert pinyin_of("福建省南安市") == "Fujian Sheng Nan'an Shi"
    assert pinyin_of("绿石") == "Lüshi"
    assert pinyin_of("厦门海辰\uff08集团\uff09") == "Xiamen Haichen (Jituan)"
    assert pinyin_of("厦门Haichen石材") == "Xiamen Haichen Shicai"
    assert pinyin_of("Green Stone") == "Green Stone"


def test_the_keys_of_a_name_mixing_hanzi_and_latin_letters():
    # Initials are of the hanzi only, on both sides of the Latin part.
    assert search_keys("厦门Haichen石材") == "厦门haichen石材 xiamenhaichenshicai xmsc"
    assert search_keys("Haichen石材") == "haichen石材 haichenshicai sc"


def test_hanzi_pypinyin_has_no_reading_for_stand_for_themselves():
    assert search_keys("㐂㐃石") == "㐂㐃石 㐂㐃shi 㐂㐃s"


def test_syllables_starting_with_a_vowel_are_kept_apart_by_an_apostrophe():
    assert pinyin_of("天峨县") == "Tian'e Xian"
    assert pinyin_of("西欧石材") == "Xi'ou Shicai"


def test_a_two_character_word_ending_in_a_division_name_is_one_word():
    # 新区 (new area) is a word, not a place 新 and its suffix 区: the official Binhai Xinqu.
    assert pinyin_of("天津市滨海新区") == "Tianjin Shi Binhai Xinqu"
    assert pinyin_of("大理石") == "Dalishi"  # marble: a word, although it has three characters


def test_characters_without_a_dictionary_word_are_paired_the_last_three_together():
    assert pinyin_of("璟瑄珺琇玥") == "Jingxuan Junxiuyue"
    assert pinyin_of("璟瑄珺琇") == "Jingxuan Junxiu"
    assert pinyin_of("璟瑄珺") == "Jingxuanjun"


def test_similarity_compares_hanzi_with_pinyin_and_english():
    assert name_similarity("厦门海辰石业", "Xiamen Haichen Stone") > 80
    assert name_similarity("厦门海辰石业", "Xiàmén Hǎichén Shíyè") == 100
    assert name_similarity("厦门海辰石业", "Fujian Granite Works") < 50
    assert name_similarity("", "Xiamen") == 0


def test_similarity_does_not_depend_on_word_order_or_case():
    assert name_similarity("Haichen Xiamen", "xiamen HAICHEN") == 100


names = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=["Cs"]),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    )
)


@given(names)
def test_every_query_for_a_name_is_found_in_its_own_keys(text):
    key = query_key(text)
    assume(key)
    assert key in search_keys(text)


@given(names, names)
def test_similarity_is_between_0_and_100(a, b):
    assert 0 <= name_similarity(a, b) <= 100
