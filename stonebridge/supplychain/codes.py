"""The Chinese unified social credit code (统一社会信用代码, GB 32100-2015).

Eighteen characters: position 1 the registration authority, 2 the entity type, 3-8 the
administrative division, 9-17 the organisation code and 18 a check character over the first 17.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# I, O, S, V and Z are left out so they cannot be mistaken for 1, 0, 5, U and 2.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18

_VALUES = {character: value for value, character in enumerate(ALPHABET)}

# Codes are often copied from Chinese documents, typed with a full-width input method.
_FULL_WIDTH = str.maketrans({chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)})


def normalise_credit_code(raw: str) -> str:
    """The code without any whitespace (full-width spaces too), half-width and upper-case."""
    return "".join(raw.translate(_FULL_WIDTH).split()).upper()


def credit_code_check_character(first17: str) -> str:
    """The 18th character for these 17; they must be upper-case characters of ALPHABET."""
    if len(first17) != LENGTH - 1:
        raise ValueError(f"Expected 17 characters, got {len(first17)}.")
    try:
        total = sum(_VALUES[c] * weight for c, weight in zip(first17, WEIGHTS, strict=True))
    except KeyError as error:
        raise ValueError(f"{error.args[0]!r} is not allowed in a credit code.") from None
    return ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(raw: str) -> str:
    """The normalised code, or a ValidationError saying what is wrong with it."""
    code = normalise_credit_code(raw)
    if len(code) != LENGTH:
        raise ValidationError(
            _(
                "A unified social credit code has 18 characters; this one has %(count)d. "
                "Check that none is missing or doubled."
            )
            % {"count": len(code)},
            code="credit_code_length",
        )
    for position, character in enumerate(code, start=1):
        if character not in _VALUES:
            raise ValidationError(
                _(
                    "A unified social credit code cannot contain “%(character)s” "
                    "(character %(position)d). It uses the digits and the capital letters "
                    "A to Y except I, O, S, V and Z."
                )
                % {"character": character, "position": position},
                code="credit_code_character",
            )
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _(
                "This unified social credit code does not add up: for the first 17 characters "
                "the last one would be “%(expected)s”, not “%(actual)s”. Probably a character "
                "was mistyped."
            )
            % {"expected": expected, "actual": code[17]},
            code="credit_code_check",
        )
    return code
