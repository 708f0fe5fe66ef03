"""Reading the cells of an imported list: text, numbers, shares, codes, choices in either language,
and countries by name or ISO code."""

import functools
import re
import unicodedata
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries

from ..codes import validate_credit_code
from ..models import Activity, FacilityKind, LinkKind, Stone, pack_codes
from ..names import query_key
from ..tabular import FORMULA_STARTS

Error = dict[str, Any]
Parser = Callable[[str], Any]


class CellError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def error_at(row: int, column: str, message: str) -> Error:
    return {"row": row, "column": column, "message": message}


# Values --------------------------------------------------------------------------------------


class Choices:
    """Finds the code of a choice by the code itself, its English or Chinese label, or a few
    other words people use for it; case, spaces and punctuation do not matter."""

    def __init__(
        self, choices: type[models.TextChoices], words: dict[str, tuple[str, ...]]
    ) -> None:
        self.choices = choices
        self.words = words

    @functools.cached_property
    def lookup(self) -> dict[str, str]:
        # Built on first use: labels can only be translated once the apps are loaded.
        table: dict[str, str] = {}
        for value, words in self.words.items():
            for word in words:
                table[query_key(word)] = value
        for value, label in self.choices.choices:
            table[value] = table[query_key(value)] = value
            for language in ("en", "zh-hans"):
                with translation.override(language):
                    table.setdefault(query_key(str(label)), value)
        return table

    def __call__(self, raw: str) -> str:
        # Most cells hold a code or a label exactly: the dictionary spares query_key for them.
        code = self.lookup.get(raw.strip()) or self.lookup.get(query_key(raw))
        if code is None:
            raise CellError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": raw.strip(), "choices": ", ".join(self.choices.values)}
            )
        return code


FACILITY_KINDS = Choices(
    FacilityKind,
    {
        "exporter": ("出口商", "出口企业"),
        "trader": ("贸易商", "贸易公司"),
        "processor": ("加工厂", "石材厂", "工厂"),
        "workshop": ("外协加工点", "加工作坊", "作坊", "workshop", "sub-contractor"),
        "quarry": ("矿山", "石矿", "采石场"),
        "block_importer": ("荒料进口商",),
    },
)
ACTIVITIES = Choices(
    Activity,
    {
        "quarrying": ("开采", "开采荒料"),
        "block_trading": ("荒料贸易",),
        "sawing": ("锯切", "切割", "锯板"),
        "polishing": ("抛光", "磨光"),
        "flaming": ("火烧", "火烧面"),
        "bush_hammering": ("荔枝面", "bush hammering"),
        "splitting": ("劈裂", "自然面", "劈开"),
        "carving": ("雕刻",),
        "packing": ("包装",),
    },
)
STONES = Choices(
    Stone,
    {
        "granite": ("花岗岩", "花岗石"),
        "marble": ("大理石",),
        "basalt": ("玄武岩",),
        "bluestone": ("青石", "石灰岩", "石灰石", "bluestone", "limestone"),
        "sandstone": ("砂岩",),
        "slate": ("板岩",),
        "other": ("其他石材", "其他", "other"),
    },
)
LINK_KINDS = Choices(
    LinkKind,
    {
        "supplies_blocks": ("供应荒料", "荒料"),
        "subcontracts": ("外协加工", "外包加工", "委托加工"),
        "trades": ("贸易", "经销"),
    },
)

# The countries of the natural-stone trade by the names people write, in English and Chinese; any
# country is also read by its ISO code or its English name (django-countries).
COUNTRY_NAMES = {
    "CN": ("China", "People's Republic of China", "PR China", "PRC", "中国", "中华人民共和国"),
    "IN": ("India", "印度"),
    "BR": ("Brazil", "巴西"),
    "VN": ("Vietnam", "Viet Nam", "越南"),
    "TR": ("Turkey", "Türkiye", "Turkiye", "土耳其"),
    "EG": ("Egypt", "埃及"),
    "PT": ("Portugal", "葡萄牙"),
    "ES": ("Spain", "西班牙"),
    "IT": ("Italy", "意大利"),
    "NO": ("Norway", "挪威"),
    "DE": ("Germany", "德国"),
    "NL": ("Netherlands", "The Netherlands", "Holland", "荷兰"),
    "BE": ("Belgium", "比利时"),
    "PL": ("Poland", "波兰"),
    "FR": ("France", "法国"),
    "GB": ("United Kingdom", "Great Britain", "英国"),
    "IE": ("Ireland", "爱尔兰"),
    "FI": ("Finland", "芬兰"),
    "SE": ("Sweden", "瑞典"),
    "GR": ("Greece", "希腊"),
    "IR": ("Iran", "伊朗"),
    "PK": ("Pakistan", "巴基斯坦"),
    "ID": ("Indonesia", "印度尼西亚"),
    "ZA": ("South Africa", "南非"),
    "ZW": ("Zimbabwe", "津巴布韦"),
    "AO": ("Angola", "安哥拉"),
    "MG": ("Madagascar", "马达加斯加"),
    "US": ("United States", "United States of America", "USA", "美国"),
}
_COUNTRY_CODES = {query_key(name): code for code, names in COUNTRY_NAMES.items() for name in names}
_CURRENCIES = {"RMB": "CNY", "人民币": "CNY", "元": "CNY", "€": "EUR", "欧元": "EUR", "美元": "USD"}
# Gaps: a link whose supplier nobody knows (blocks of unknown quarry, undisclosed sub-contracting).
UNKNOWN = frozenset({"", "unknown", "未知", "不详", "?", "-"})

LIST_SEPARATORS = re.compile(r"[;,、|]")  # applied after NFKC, which makes full-width ones plain
# Not commas: "Co., Ltd." is one name. With the full-width semicolon and vertical line.
_ALIAS_SEPARATORS = re.compile("[;\uff1b\u3001|\uff5c]")
_THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+")
_CURRENCY = re.compile(r"[A-Z]{3}")
HANZI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_RANGE = re.compile("\\s*[-\u2013\u2014~至]\\s*")  # hyphen, en and em dash


def text(limit: int) -> Parser:
    def parse(raw: str) -> str:
        text = " ".join(raw.split())
        if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
            text = text[1:]  # our exports' guard against formulas (tabular.safe_cell), undone
        if len(text) > limit:
            raise CellError(
                _("This is %(count)d characters long; at most %(limit)d fit.")
                % {"count": len(text), "limit": limit}
            )
        return text

    return parse


def aliases(raw: str) -> list[str]:
    names = [" ".join(part.split()) for part in _ALIAS_SEPARATORS.split(raw)]
    return list(dict.fromkeys(name for name in names if name))


def code_list(choices: Choices) -> Parser:
    def parse(raw: str) -> str:
        parts = LIST_SEPARATORS.split(unicodedata.normalize("NFKC", raw))
        return pack_codes([choices(part) for part in parts if part.strip()])

    return parse


def country(raw: str) -> str:
    """A country by its ISO code (CN, CHN), its English name in any case ("CHINA", "Bangladesh",
    "USA"), or one of COUNTRY_NAMES; the two-letter ISO code."""
    text = unicodedata.normalize("NFKC", raw).strip()
    code = _COUNTRY_CODES.get(query_key(text))
    if code is None and text.isascii():
        code = countries.alpha2(text) or countries.by_name(text) or None
    if code is None:
        raise CellError(
            _(
                "Give the country as its two-letter ISO code, such as CN or IN; "
                "“%(value)s” is unknown."
            )
            % {"value": text}
        )
    return code


def _decimal(raw: str, *, decimal_comma: bool = False) -> Decimal:
    """A number as spreadsheets write it: "1,200", "1.200,5" or "0,35" in Europe, full-width."""
    text = raw if raw.isascii() else unicodedata.normalize("NFKC", raw)
    text = "".join(text.split())
    if "," in text and "." in text:
        # Whichever comes last separates the decimals.
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        thousands = not decimal_comma and _THOUSANDS.fullmatch(text)
        text = text.replace(",", "" if thousands else ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": raw.strip()})
    return value


def _bounded(low: Decimal, high: Decimal, exponent: Decimal) -> Parser:
    def parse(raw: str) -> Decimal:
        value = _decimal(raw)
        if not low <= value <= high:
            raise CellError(
                _("This must be between %(low)s and %(high)s.") % {"low": low, "high": high}
            )
        return value.quantize(exponent, rounding=ROUND_HALF_UP)

    return parse


def amount(max_digits: int) -> Parser:
    """A quantity or sum of money with two decimals that fits in max_digits digits."""
    return _bounded(Decimal(0), Decimal(10 ** (max_digits - 2)) - Decimal("0.01"), Decimal("0.01"))


latitude = _bounded(Decimal(-90), Decimal(90), Decimal("0.000001"))
longitude = _bounded(Decimal(-180), Decimal(180), Decimal("0.000001"))


def share(raw: str) -> Decimal:
    text = unicodedata.normalize("NFKC", raw).strip()
    percent = text.endswith("%")
    value = _decimal(text.removesuffix("%"), decimal_comma=True)
    if percent:
        value /= 100
    if not 0 <= value <= 1:
        raise CellError(
            _("A share is a number from 0 to 1, or a percentage such as 35%%; “%(value)s” is not.")
            % {"value": raw.strip()}
        )
    return value.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def whole(raw: str) -> int:
    value = _decimal(raw)
    if value != value.to_integral_value() or not 0 <= value < 2**31:
        raise CellError(_("Give a whole number, 0 or more."))
    return int(value)


def workers_range(raw: str) -> int:
    # Open Supply Hub allows a range such as "100-500"; its lower bound is what is known for sure.
    return whole(_RANGE.split(raw.strip(), maxsplit=1)[0].removesuffix("+"))


def credit_code(raw: str) -> str:
    try:
        return validate_credit_code(raw)
    except ValidationError as error:
        raise CellError(error.messages[0]) from None


def currency(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw).strip().upper()
    code = _CURRENCIES.get(text, text)
    if not _CURRENCY.fullmatch(code):
        raise CellError(_("Give the currency as its three-letter code, such as EUR or CNY."))
    return code
