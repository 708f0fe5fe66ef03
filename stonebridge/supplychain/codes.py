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
        total = sum(_VALUES[c] * WEIGHTS[i] for i, c in enumerate(first17))
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


# The first two digits of the administrative division (characters 3-8 of the credit code) are
# the province-level code of GB/T 2260 (中华人民共和国行政区划代码): 35 is 福建省, 37 山东省,
# 44 广东省. Each entry: the name as written in Chinese, and the ways the province is written in
# Latin letters (toneless pinyin and the usual English), lower-case without spaces.
# 71 (台湾), 81 (香港) and 82 (澳门) are left out: mainland registration authorities do not issue
# codes with them, so a code starting there says nothing about a stated province.
PROVINCES: dict[str, tuple[str, tuple[str, ...]]] = {
    "11": ("北京市", ("beijing",)),
    "12": ("天津市", ("tianjin",)),
    "13": ("河北省", ("hebei",)),
    "14": ("山西省", ("shanxi",)),
    "15": ("内蒙古自治区", ("neimenggu", "innermongolia")),
    "21": ("辽宁省", ("liaoning",)),
    "22": ("吉林省", ("jilin",)),
    "23": ("黑龙江省", ("heilongjiang",)),
    "31": ("上海市", ("shanghai",)),
    "32": ("江苏省", ("jiangsu",)),
    "33": ("浙江省", ("zhejiang",)),
    "34": ("安徽省", ("anhui",)),
    "35": ("福建省", ("fujian",)),
    "36": ("江西省", ("jiangxi",)),
    "37": ("山东省", ("shandong",)),
    "41": ("河南省", ("henan",)),
    "42": ("湖北省", ("hubei",)),
    "43": ("湖南省", ("hunan",)),
    "44": ("广东省", ("guangdong",)),
    "45": ("广西壮族自治区", ("guangxi",)),
    "46": ("海南省", ("hainan",)),
    "50": ("重庆市", ("chongqing",)),
    "51": ("四川省", ("sichuan",)),
    "52": ("贵州省", ("guizhou",)),
    "53": ("云南省", ("yunnan",)),
    "54": ("西藏自治区", ("xizang", "tibet")),
    # 陕西 is spelt "Shaanxi" to tell it from 山西, but is often written "Shanxi" as well.
    "61": ("陕西省", ("shaanxi", "shanxi")),
    "62": ("甘肃省", ("gansu",)),
    "63": ("青海省", ("qinghai",)),
    "64": ("宁夏回族自治区", ("ningxia",)),
    "65": ("新疆维吾尔自治区", ("xinjiang",)),
}
# The part of each Chinese name that is always written: 福建 for 福建省, 内蒙古 for 内蒙古自治区.
_SHORT_ZH = {
    prefix: name.removesuffix("壮族自治区")
    .removesuffix("回族自治区")
    .removesuffix("维吾尔自治区")
    .removesuffix("自治区")
    .removesuffix("省")
    .removesuffix("市")
    for prefix, (name, _latin) in PROVINCES.items()
}


def division_province(code: str) -> str | None:
    """The province a valid code was registered in, by its GB/T 2260 prefix (None if unknown)."""
    entry = PROVINCES.get(code[2:4]) if len(code) == LENGTH else None
    return entry[0] if entry else None


def provinces_named(stated: str) -> set[str]:
    """The GB/T 2260 prefixes a stated province can mean: 福建, 福建省, "Fujian" and
    "Fujian Province" give {"35"}; "Shanxi" gives both 山西 and 陕西; an unknown name, none.
    No short name is part of another (山西/陕西, 河南/海南 differ), so containment is safe."""
    text = "".join(stated.translate(_FULL_WIDTH).split())
    if not text:
        return set()
    zh = {prefix for prefix, short in _SHORT_ZH.items() if short in text}
    if zh:
        return zh
    latin = "".join(c for c in text.casefold() if c.isalnum())
    return {
        prefix
        for prefix, (_name, spellings) in PROVINCES.items()
        if any(spelling in latin for spelling in spellings)
    }


def province_warning(code: str | None, province: str, country: str = "CN") -> str | None:
    """A warning when the code was registered in another province than the one stated.

    A warning, not an error: a company that moves keeps its code, so both can be right."""
    if not code or country.upper() != "CN":
        return None
    registered = division_province(code)
    named = provinces_named(province)
    if registered is None or not named or code[2:4] in named:
        return None
    return _(
        "The unified social credit code was issued in %(registered)s (division code "
        "%(division)s), but the province given is %(province)s. Companies that move keep their "
        "code, so this is kept as it is; check that both are right."
    ) % {"registered": registered, "division": code[2:8], "province": province}
