"""The unified social credit code: normalising, the check character and clear errors."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from stonebridge.supplychain.codes import (
    ALPHABET,
    credit_code_check_character,
    division_province,
    normalise_credit_code,
    province_warning,
    validate_credit_code,
)

# Made up for these tests: a trading company (9, 1) in Xiamen's Siming district (350203). Its check
# character, worked by hand (values: digits 0-9, A 10 … Y 30; weights 3^(i-1) mod 31):
#   9·1 + 1·3 + 3·9 + 5·27 + 0·19 + 2·26 + 0·16 + 3·17 + M21·20 + A10·29 + 2·25 + Y30·13 + 4·8
#   + K19·24 + D13·10 + 7·30 + 1·28 = 2283; 2283 mod 31 = 20; 31 - 20 = 11, which is "B".
XIAMEN = "91350203MA2Y4KD71B"
FIRST17_ALL_ZERO = "0" * 17

first17s = st.text(alphabet=ALPHABET, min_size=17, max_size=17)


def make(first17: str) -> str:
    return first17 + credit_code_check_character(first17)


def error_of(raw: str) -> str:
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(raw)
    return " ".join(caught.value.messages)


def test_the_check_character_follows_the_standard_weights():
    # Sum of value * weight for "1" + sixteen "0"s: 1; (31 - 1) mod 31 = 30, the last character.
    assert credit_code_check_character("1" + "0" * 16) == "Y"
    assert credit_code_check_character(FIRST17_ALL_ZERO) == "0"
    # "A" (value 10) in position 2 (weight 3): 30 mod 31 = 30 -> (31 - 30) = 1.
    assert credit_code_check_character("0A" + "0" * 15) == "1"


# GB 32100-2015's weight for position i is 3^(i-1) mod 31. A single "1" at position i, zeros
# elsewhere, sums to that weight w, so the check character is the one of value (31 - w) mod 31.
@pytest.mark.parametrize(
    ("position", "weight", "check"),
    [
        (1, 1, "Y"),  # 31 - 1 = 30
        (2, 3, "W"),  # 28
        (3, 9, "N"),  # 22
        (4, 27, "4"),
        (5, 19, "C"),  # 81 mod 31 = 19; 31 - 19 = 12
        (6, 26, "5"),
        (7, 16, "F"),  # 15
        (8, 17, "E"),  # 14
        (9, 20, "B"),  # 11
        (10, 29, "2"),
        (11, 25, "6"),
        (12, 13, "J"),  # 18
        (13, 8, "P"),  # 23
        (14, 24, "7"),
        (15, 10, "M"),  # 21
        (16, 30, "1"),
        (17, 28, "3"),
    ],
)
def test_each_position_carries_the_weight_of_the_standard(position, weight, check):
    assert weight == 3 ** (position - 1) % 31
    first17 = "0" * (position - 1) + "1" + "0" * (17 - position)
    assert credit_code_check_character(first17) == check


def test_a_made_up_xiamen_code_worked_by_hand_validates_and_comes_back_normalised():
    assert credit_code_check_character(XIAMEN[:17]) == "B"
    assert validate_credit_code(XIAMEN) == XIAMEN
    assert validate_credit_code(XIAMEN.lower()) == XIAMEN


def test_a_code_typed_with_full_width_characters_and_spaces_is_accepted():
    # 9·1 + 1·3 + 3·9 + 5·27 + 2·26 + M21·20 + A10·29 + 3·25 + 1·13 + X29·8 + 8·24 + P23·10
    # + 5·30 = 1828; 1828 mod 31 = 30; 31 - 30 = 1.
    code = "91350200MA31X8P501"
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    typed = f"  {full_width[:6]}\u3000{full_width[6:12]} {full_width[12:]}\n"
    assert normalise_credit_code(typed) == code
    assert validate_credit_code(typed) == code


def test_a_code_of_the_wrong_length_says_how_long_it_is():
    assert error_of(XIAMEN[:-1]) == (
        "A unified social credit code has 18 characters; this one has 17. Check that none is "
        "missing or doubled."
    )


def test_a_forbidden_letter_is_named_with_its_position():
    assert error_of("9135O203MA2Y4KD71B") == (
        "A unified social credit code cannot contain “O” (character 5). It uses the digits and "
        "the capital letters A to Y except I, O, S, V and Z."
    )


def test_a_wrong_check_character_says_which_was_expected():
    assert error_of("91350203MA2Y4KD710") == (
        "This unified social credit code does not add up: for the first 17 characters the last "
        "one would be “B”, not “0”. Probably a character was mistyped."
    )


def test_the_error_codes_tell_the_problems_apart():
    for raw, expected in [
        (XIAMEN + "1", "credit_code_length"),
        ("I" + XIAMEN[1:], "credit_code_character"),
        (XIAMEN[:-1] + "0", "credit_code_check"),
    ]:
        with pytest.raises(ValidationError) as caught:
            validate_credit_code(raw)
        assert caught.value.code == expected


def test_the_check_character_function_refuses_bad_input():
    with pytest.raises(ValueError, match="17"):
        credit_code_check_character("123")
    with pytest.raises(ValueError, match="'I'"):
        credit_code_check_character("I" * 17)


@given(first17s)
def test_any_17_allowed_characters_with_their_check_character_validate(first17):
    code = make(first17)
    assert code[-1] in ALPHABET
    assert validate_credit_code(code) == code


@given(first17s, st.integers(min_value=0, max_value=17), st.sampled_from(ALPHABET))
def test_changing_any_one_character_makes_a_code_invalid(first17, position, replacement):
    code = make(first17)
    if code[position] == replacement:
        replacement = ALPHABET[(ALPHABET.index(replacement) + 1) % len(ALPHABET)]
    changed = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(ValidationError):
        validate_credit_code(changed)


# The province-level prefix of the administrative division (GB/T 2260): 35 Fujian, 37 Shandong.
# Check characters worked from XIAMEN's sum of 2283: Nan'an (350583) adds 3·26 + 8·16 = 206,
# 2489 mod 31 = 9, 31 - 9 = 22 "N"; Laizhou (370683) adds 2·27 + 1·26 to that, 2569 mod 31 = 27,
# "4"; Yunfu (445302) 2283 + 9 - 27 + 95 + 26 - 17 = 2369, mod 31 = 13, 18 "J".
NAN_AN = "91350583MA2Y4KD71N"
LAIZHOU = "91370683MA2Y4KD714"
YUNFU = "91445302MA2Y4KD71J"


def test_the_division_code_gives_the_province_the_code_was_issued_in():
    assert division_province(NAN_AN) == "福建省"
    assert division_province(LAIZHOU) == "山东省"
    assert division_province(YUNFU) == "广东省"


def test_a_partial_code_or_an_unknown_division_gives_no_province():
    assert division_province("91350583") is None
    assert division_province("91710000MA2Y4KD71N") is None  # 71 (台湾): not issued on the mainland


@pytest.mark.parametrize("stated", ["福建省", "福建", "Fujian", "FUJIAN PROVINCE", "福建省泉州市"])
def test_a_code_from_the_stated_province_however_written_gives_no_warning(stated):
    assert province_warning(NAN_AN, stated) is None


def test_a_code_from_another_province_is_a_warning_naming_both():
    assert province_warning(NAN_AN, "山东省") == (
        "The unified social credit code was issued in 福建省 (division code 350583), but the "
        "province given is 山东省. Companies that move keep their code, so this is kept as it is; "
        "check that both are right."
    )
    assert province_warning(NAN_AN, "Shandong") is not None


def test_a_province_written_in_several_latin_words_is_recognised():
    # Hohhot (150102): 2283 - 2·9 - 1·26 - 1·17 = 2222, mod 31 = 21; 31 - 21 = 10, "A".
    inner_mongolia = "91150102MA2Y4KD71A"
    assert province_warning(inner_mongolia, "Inner Mongolia") is None
    assert province_warning(NAN_AN, "Inner Mongolia") is not None


def test_nothing_is_said_without_a_known_province_or_outside_china():
    assert province_warning(NAN_AN, "") is None
    assert province_warning(NAN_AN, "Xiamen") is None
    assert province_warning(NAN_AN, "山东省", country="IN") is None
    assert province_warning(NAN_AN, "山东省", country="cn") is not None  # however it is written
    assert province_warning(None, "山东省") is None


def test_shanxi_in_latin_letters_may_mean_either_shanxi_or_shaanxi():
    # 陕西省西安市 (610113): 2283 + 3·9 - 4·27 - 1·26 + 1·16 = 2192, mod 31 = 22; 31 - 22 = 9.
    xi_an = "91610113MA2Y4KD719"
    assert province_warning(xi_an, "Shanxi") is None
    assert province_warning(xi_an, "Shaanxi") is None
    assert province_warning(xi_an, "山西省") is not None
