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

# Made up for these tests: a trading company (9, 1) in Xiamen's Siming district (350203).
FIRST17 = "91350203" + "MA2Y4KD7" + "1"
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


def test_a_made_up_xiamen_code_validates_and_comes_back_normalised():
    code = make(FIRST17)
    assert len(code) == 18
    assert validate_credit_code(code) == code
    assert validate_credit_code(code.lower()) == code


def test_a_code_typed_with_full_width_characters_and_spaces_is_accepted():
    code = make("91350200" + "MA31X8P5" + "0")
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    typed = f"  {full_width[:6]}\u3000{full_width[6:12]} {full_width[12:]}\n"
    assert normalise_credit_code(typed) == code
    assert validate_credit_code(typed) == code


def test_a_code_of_the_wrong_length_says_how_long_it_is():
    message = error_of(make(FIRST17)[:-1])
    assert "18 characters" in message
    assert "17" in message


def test_a_forbidden_letter_is_named_with_its_position():
    code = make(FIRST17)
    message = error_of(code[:4] + "O" + code[5:])
    assert "“O”" in message
    assert "character 5" in message


def test_a_wrong_check_character_says_which_was_expected():
    code = make(FIRST17)
    wrong = "0" if code[-1] != "0" else "1"
    message = error_of(code[:-1] + wrong)
    assert f"“{code[-1]}”" in message
    assert f"“{wrong}”" in message


def test_the_error_codes_tell_the_problems_apart():
    code = make(FIRST17)
    for raw, expected in [
        (code + "1", "credit_code_length"),
        ("I" + code[1:], "credit_code_character"),
        (code[:-1] + ("1" if code[-1] == "0" else "0"), "credit_code_check"),
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
NAN_AN = make("91350583" + "MA2Y4KD7" + "1")


def test_the_division_code_gives_the_province_the_code_was_issued_in():
    assert division_province(NAN_AN) == "福建省"
    assert division_province(make("91370683" + "MA2Y4KD7" + "1")) == "山东省"
    assert division_province(make("91445302" + "MA2Y4KD7" + "1")) == "广东省"


@pytest.mark.parametrize("stated", ["福建省", "福建", "Fujian", "FUJIAN PROVINCE", "福建省泉州市"])
def test_a_code_from_the_stated_province_however_written_gives_no_warning(stated):
    assert province_warning(NAN_AN, stated) is None


def test_a_code_from_another_province_is_a_warning_naming_both():
    warning = province_warning(NAN_AN, "山东省")
    assert "福建省" in warning
    assert "350583" in warning
    assert "山东省" in warning
    assert province_warning(NAN_AN, "Shandong") is not None


def test_nothing_is_said_without_a_known_province_or_outside_china():
    assert province_warning(NAN_AN, "") is None
    assert province_warning(NAN_AN, "Xiamen") is None
    assert province_warning(NAN_AN, "山东省", country="IN") is None
    assert province_warning(None, "山东省") is None


def test_shanxi_in_latin_letters_may_mean_either_shanxi_or_shaanxi():
    xi_an = make("91610113" + "MA2Y4KD7" + "1")  # 陕西省西安市
    assert province_warning(xi_an, "Shanxi") is None
    assert province_warning(xi_an, "Shaanxi") is None
    assert province_warning(xi_an, "山西省") is not None
