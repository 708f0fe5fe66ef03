"""Importing a buyer's supplier lists: facilities, links and sourcing, all or nothing.

An upload is read (tabular.read_table), every row is checked, facility rows are matched to the
shared registry, and only a file without errors is written, in one transaction. Rows whose match
is uncertain wait for a person to decide (`import_decide`); the answer is remembered, so the next
upload of the same list does not ask again.
"""

import functools
import itertools
import logging
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from stonebridge.accounts.models import Organisation, User
from stonebridge.audit.services import record

from . import chain, services
from .codes import credit_code_check_character, normalise_credit_code, validate_credit_code
from .models import (
    WORKFORCE_FIELDS,
    Activity,
    Facility,
    FacilityKind,
    FacilityRef,
    ImportJob,
    Link,
    LinkKind,
    MatchDecision,
    Sourcing,
    Stone,
    pack_codes,
)

# The words `name_similarity` compares, computed here once per name rather than once per pair.
from .names import _comparable_words, pinyin_of, query_key
from .signals import facility_changed, workforce_stated
from .tabular import FORMULA_STARTS, Table, TableError, read_table, write_csv, write_xlsx
from .tasks import run_import

logger = logging.getLogger(__name__)

FACILITIES = ImportJob.Kind.FACILITIES
LINKS = ImportJob.Kind.LINKS
SOURCING = ImportJob.Kind.SOURCING
STONEBRIDGE = ImportJob.Format.STONEBRIDGE
OSHUB = ImportJob.Format.OSHUB

SIMILAR = 85  # name_similarity from which a registry facility may be the row's
CANDIDATES = 3  # uncertain candidates shown per row
# A file with thousands of broken rows would make the job's record and the page unwieldy.
MAX_STORED_ERRORS = 1000
PROGRESS_EVERY = 1000
BATCH = 2000

Error = dict[str, Any]
Parser = Callable[[str], Any]
Writer = Callable[[], None]  # the writes of a prepared import


class _CellError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _error(row: int, column: str, message: str) -> Error:
    return {"row": row, "column": column, "message": message}


# Values --------------------------------------------------------------------------------------


class _Choices:
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
            raise _CellError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": raw.strip(), "choices": ", ".join(self.choices.values)}
            )
        return code


FACILITY_KINDS = _Choices(
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
ACTIVITIES = _Choices(
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
STONES = _Choices(
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
LINK_KINDS = _Choices(
    LinkKind,
    {
        "supplies_blocks": ("供应荒料", "荒料"),
        "subcontracts": ("外协加工", "外包加工", "委托加工"),
        "trades": ("贸易", "经销"),
    },
)

# The countries of the natural-stone trade, by name in English and Chinese; any other country is
# given by its ISO code.
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
_UNKNOWN = frozenset({"", "unknown", "未知", "不详", "?", "-"})

_LIST_SEPARATORS = re.compile(r"[;,、|]")  # applied after NFKC, which makes full-width ones plain
# Not commas: "Co., Ltd." is one name. With the full-width semicolon and vertical line.
_ALIAS_SEPARATORS = re.compile("[;\uff1b\u3001|\uff5c]")
_THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+")
_CURRENCY = re.compile(r"[A-Z]{3}")
_HANZI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_RANGE = re.compile("\\s*[-\u2013\u2014~至]\\s*")  # hyphen, en and em dash


def _text(limit: int) -> Parser:
    def parse(raw: str) -> str:
        text = " ".join(raw.split())
        if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
            text = text[1:]  # our exports' guard against formulas (tabular.safe_cell), undone
        if len(text) > limit:
            raise _CellError(
                _("This is %(count)d characters long; at most %(limit)d fit.")
                % {"count": len(text), "limit": limit}
            )
        return text

    return parse


def _aliases(raw: str) -> list[str]:
    names = [" ".join(part.split()) for part in _ALIAS_SEPARATORS.split(raw)]
    return list(dict.fromkeys(name for name in names if name))


def _code_list(choices: _Choices) -> Parser:
    def parse(raw: str) -> str:
        parts = _LIST_SEPARATORS.split(unicodedata.normalize("NFKC", raw))
        return pack_codes([choices(part) for part in parts if part.strip()])

    return parse


def _country(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw).strip()
    if len(text) == 2 and text.isascii() and text.isalpha():
        return text.upper()
    code = _COUNTRY_CODES.get(query_key(text))
    if code is None:
        raise _CellError(
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
        raise _CellError(_("“%(value)s” is not a number.") % {"value": raw.strip()})
    return value


def _bounded(low: Decimal, high: Decimal, exponent: Decimal) -> Parser:
    def parse(raw: str) -> Decimal:
        value = _decimal(raw)
        if not low <= value <= high:
            raise _CellError(
                _("This must be between %(low)s and %(high)s.") % {"low": low, "high": high}
            )
        return value.quantize(exponent, rounding=ROUND_HALF_UP)

    return parse


def _amount(max_digits: int) -> Parser:
    """A quantity or sum of money with two decimals that fits in max_digits digits."""
    return _bounded(Decimal(0), Decimal(10 ** (max_digits - 2)) - Decimal("0.01"), Decimal("0.01"))


_latitude = _bounded(Decimal(-90), Decimal(90), Decimal("0.000001"))
_longitude = _bounded(Decimal(-180), Decimal(180), Decimal("0.000001"))


def _share(raw: str) -> Decimal:
    text = unicodedata.normalize("NFKC", raw).strip()
    percent = text.endswith("%")
    value = _decimal(text.removesuffix("%"), decimal_comma=True)
    if percent:
        value /= 100
    if not 0 <= value <= 1:
        raise _CellError(
            _("A share is a number from 0 to 1, or a percentage such as 35%%; “%(value)s” is not.")
            % {"value": raw.strip()}
        )
    return value.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def _whole(raw: str) -> int:
    value = _decimal(raw)
    if value != value.to_integral_value() or not 0 <= value < 2**31:
        raise _CellError(_("Give a whole number, 0 or more."))
    return int(value)


def _workers_range(raw: str) -> int:
    # Open Supply Hub allows a range such as "100-500"; its lower bound is what is known for sure.
    return _whole(_RANGE.split(raw.strip(), maxsplit=1)[0].removesuffix("+"))


def _credit_code(raw: str) -> str:
    try:
        return validate_credit_code(raw)
    except ValidationError as error:
        raise _CellError(error.messages[0]) from None


def _currency(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw).strip().upper()
    code = _CURRENCIES.get(text, text)
    if not _CURRENCY.fullmatch(code):
        raise _CellError(_("Give the currency as its three-letter code, such as EUR or CNY."))
    return code


# Columns -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label_en: str
    label_zh: str
    parse: Parser
    required: bool = False  # the cell must not be empty
    empty: Any = ""  # the value of an empty cell
    # Written by the export for the reader; ignored when the export is imported again.
    ignored: bool = False

    @property
    def header(self) -> str:
        """The template's heading: both languages, and the key that makes it unambiguous."""
        if not self.label_zh:
            return self.key
        return f"{self.label_zh} / {self.label_en} ({self.key})"

    @functools.cached_property
    def names(self) -> frozenset[str]:
        return frozenset(_header_key(n) for n in (self.key, self.label_en, self.label_zh) if n)

    @functools.cached_property
    def bracketed(self) -> re.Pattern[str]:
        return re.compile(rf"[(\[【]\s*{re.escape(self.key)}\s*[)\]】]")


@dataclass(frozen=True)
class Spec:
    columns: tuple[Column, ...]
    # Each group: at least one of these columns must be in the file.
    needed: tuple[tuple[str, ...], ...]


def _header_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


FACILITY_COLUMNS = (
    Column("ref", "Your reference", "贵方编号", _text(100)),
    Column("kind", "Kind", "类型", FACILITY_KINDS, required=True),
    Column("name_zh", "Name in Chinese", "中文名称", _text(200)),
    Column("name_en", "Name in English or pinyin", "英文或拼音名称", _text(200)),
    Column("aliases", "Other names", "其他名称", _aliases, empty=()),
    Column("country", "Country", "国家", _country, empty="CN"),
    Column("province", "Province", "省份", _text(50)),
    Column("city", "City", "城市", _text(50)),
    Column("district", "District or county", "区县", _text(50)),
    Column("address", "Address", "地址", _text(300)),
    Column("latitude", "Latitude", "纬度", _latitude, empty=None),
    Column("longitude", "Longitude", "经度", _longitude, empty=None),
    Column("credit_code", "Unified social credit code", "统一社会信用代码", _credit_code),
    Column("activities", "Activities", "工序", _code_list(ACTIVITIES)),
    Column("stone_types", "Stone types", "石材种类", _code_list(STONES)),
    Column("workers", "Workers", "工人人数", _whole, empty=None),
    Column("migrant_share", "Share of migrant workers", "外地务工人员比例", _share, empty=None),
    Column("dispatched_share", "Share of dispatched workers", "劳务派遣工比例", _share, empty=None),
    Column("intern_share", "Share of student interns", "实习生比例", _share, empty=None),
    Column("os_hub_id", "Open Supply Hub ID", "Open Supply Hub 编号", _text(20)),
    Column("tier", "Tier", "层级", _text(20), ignored=True),
)
LINK_COLUMNS = (
    Column("supplier", "Supplier", "供应商", _text(100)),
    Column("customer", "Customer", "客户", _text(100), required=True),
    Column("kind", "Kind of link", "关系类型", LINK_KINDS, required=True),
    Column("product", "Product", "产品", _text(100)),
    Column("stone_type", "Stone type", "石材种类", STONES),
    Column("share", "Share of the customer's input", "占客户进料的比例", _share, empty=None),
    Column("volume", "Annual volume (m³)", "年供应量（立方米）", _amount(12), empty=None),
    Column("origin_country", "Country of origin", "原产国", _country),
)
SOURCING_COLUMNS = (
    Column("supplier", "Supplier", "供应商", _text(100), required=True),
    Column("annual_volume", "Annual volume (m³)", "年采购量（立方米）", _amount(12), required=True),
    Column("annual_value", "Annual value", "年采购金额", _amount(14), empty=None),
    Column("currency", "Currency", "币种", _currency, empty="EUR"),
    Column(
        "share_of_output",
        "Share of the supplier's output",
        "占供应商产量的比例",
        _share,
        empty=None,
    ),
)
# Open Supply Hub's list format, under its own (English) headings.
OSHUB_COLUMNS = (
    Column("country", "country", "", _country, required=True),
    Column("name", "name", "", _text(200), required=True),
    Column("address", "address", "", _text(300)),
    Column("sector", "sector", "", _text(200)),
    Column("product_type", "product_type", "", _text(500)),
    Column("facility_type", "facility_type", "", _text(500)),
    Column("processing_type", "processing_type", "", _text(500)),
    Column("number_of_workers", "number_of_workers", "", _workers_range, empty=None),
    Column("parent_company", "parent_company", "", _text(200)),
)
SPECS: dict[tuple[str, str], Spec] = {
    (FACILITIES, STONEBRIDGE): Spec(FACILITY_COLUMNS, (("kind",), ("name_zh", "name_en"))),
    (LINKS, STONEBRIDGE): Spec(LINK_COLUMNS, (("supplier",), ("customer",), ("kind",))),
    (SOURCING, STONEBRIDGE): Spec(SOURCING_COLUMNS, (("supplier",), ("annual_volume",))),
    (FACILITIES, OSHUB): Spec(OSHUB_COLUMNS, (("country",), ("name",))),
}

# Open Supply Hub's facility and processing types are free text; these words give the kind.
_OSHUB_KINDS = (
    (FacilityKind.QUARRY, re.compile(r"\b(quarr(y|ies|ying)|min(e|es|ing))\b|矿|采石")),
    (FacilityKind.TRADER, re.compile(r"\btrad(e|er|ers|ing)\b|贸易")),
    (FacilityKind.EXPORTER, re.compile(r"\bexport(s|er|ers|ing)?\b|出口")),
    (FacilityKind.PROCESSOR, re.compile(r"\b(process(ing|or|ors)?|factory|workshop)\b|加工|工厂")),
)


def _oshub_kind(facility_type: str, processing_type: str) -> str:
    # The facility type says what the place is; processing types ("block trading") only help
    # when it says nothing.
    for text in (facility_type.casefold(), processing_type.casefold()):
        for kind, words in _OSHUB_KINDS:
            if words.search(text):
                return kind
    return FacilityKind.PROCESSOR


def _known_codes(choices: _Choices, raw: str) -> str:
    """The codes among "Granite|Marble|…"; Open Supply Hub's other product types are left out."""
    codes = []
    for part in _LIST_SEPARATORS.split(unicodedata.normalize("NFKC", raw)):
        try:
            codes.append(choices(part))
        except _CellError:
            continue
    return pack_codes(codes)


def _from_oshub(values: dict[str, Any]) -> dict[str, Any]:
    name = values["name"]
    hanzi = _HANZI.search(name) is not None
    return {
        "kind": _oshub_kind(values.get("facility_type", ""), values.get("processing_type", "")),
        "name_zh": name if hanzi else "",
        "name_en": "" if hanzi else name,
        "country": values["country"],
        "address": values.get("address", ""),
        "workers": values.get("number_of_workers"),
        "stone_types": _known_codes(STONES, values.get("product_type", "")),
        "activities": _known_codes(ACTIVITIES, values.get("processing_type", "")),
    }


# Validation ----------------------------------------------------------------------------------


@dataclass
class Row:
    number: int  # as the spreadsheet numbers it
    # Checked values by column key. Facilities: the Facility fields and "ref"; links: "supplier"
    # and "customer" as facility ids (supplier None for a gap); sourcing: "facility" as an id.
    # Columns absent from the file are absent here, so an update leaves those fields alone.
    values: dict[str, Any]


def _map_headers(headers: list[str], spec: Spec) -> tuple[dict[str, Column], list[Error]]:
    mapping: dict[str, Column] = {}
    errors: list[Error] = []
    seen: dict[str, str] = {}
    for header in headers:
        normal = _header_key(header)
        column = next(
            (c for c in spec.columns if normal in c.names or c.bracketed.search(normal)), None
        )
        if column is None:
            errors.append(
                _error(
                    1,
                    header,
                    _("The column “%(header)s” is not known. The columns are: %(keys)s.")
                    % {"header": header, "keys": ", ".join(c.key for c in spec.columns)},
                )
            )
        elif column.key in seen:
            errors.append(
                _error(
                    1,
                    header,
                    _("The columns “%(first)s” and “%(second)s” are both %(key)s.")
                    % {"first": seen[column.key], "second": header, "key": column.key},
                )
            )
        else:
            seen[column.key] = header
            mapping[header] = column
    for group in spec.needed:
        if not any(key in seen for key in group):
            errors.append(
                _error(
                    1,
                    group[0],
                    _("The column %(column)s is missing.") % {"column": " / ".join(group)},
                )
            )
    return mapping, errors


def _parse(
    record: dict[str, str], mapping: dict[str, Column], number: int, errors: list[Error]
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for header, column in mapping.items():
        if column.ignored:
            continue
        raw = record[header]
        if not raw or raw.isspace():
            if column.required:
                errors.append(_error(number, column.key, _("This column needs a value.")))
            values[column.key] = column.empty
            continue
        try:
            values[column.key] = column.parse(raw)
        except _CellError as error:
            errors.append(_error(number, column.key, error.message))
    return values


def validate(
    organisation: Organisation, table: Table, kind: str, fmt: str
) -> tuple[list[Row], list[Error]]:
    """Every row of the table checked: the rows without errors, and the errors of all rows as
    {"row": spreadsheet row number, "column": column key, "message": …}."""
    spec = SPECS.get((kind, fmt))
    if spec is None:
        return [], [_error(0, "", _("An Open Supply Hub list holds facilities only."))]
    mapping, errors = _map_headers(table.headers, spec)
    if errors:
        return [], errors
    if not table.rows:
        return [], [_error(0, "", _("The file has no rows below its headings."))]
    rows: list[Row] = []
    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        before = len(errors)
        values = _parse(cells, mapping, number, errors)
        if (kind, fmt) == (FACILITIES, STONEBRIDGE) and not _named(values, errors[before:]):
            errors.append(
                _error(number, "name_zh", _("Give the name in Chinese, or in English or pinyin."))
            )
        if len(errors) == before:
            rows.append(Row(number, _from_oshub(values) if fmt == OSHUB else values))
    if kind == FACILITIES:
        rows = _check_facilities(rows, errors)
    elif kind == LINKS:
        rows = _check_links(organisation, rows, errors)
    else:
        rows = _check_sourcing(organisation, rows, errors)
    errors.sort(key=lambda e: e["row"])
    return rows, errors


def _named(values: dict[str, Any], row_errors: list[Error]) -> bool:
    """Whether the row has a name, or a name already reported as wrong."""
    return bool(
        values.get("name_zh")
        or values.get("name_en")
        or any(e["column"] in ("name_zh", "name_en") for e in row_errors)
    )


def _first_seen(rows: dict[Any, int], value: Any, number: int) -> int | None:
    """The row a value was first seen on, if before this one."""
    first = rows.setdefault(value, number)
    return first if first != number else None


def _check_facilities(rows: list[Row], errors: list[Error]) -> list[Row]:
    valid = []
    refs: dict[str, int] = {}
    codes: dict[str, int] = {}
    for row in rows:
        before = len(errors)
        values = row.values
        if values.get("ref") and (first := _first_seen(refs, values["ref"], row.number)):
            errors.append(
                _error(
                    row.number,
                    "ref",
                    _("Row %(row)d has the same reference.") % {"row": first},
                )
            )
        if values.get("credit_code") and (
            first := _first_seen(codes, values["credit_code"], row.number)
        ):
            errors.append(
                _error(
                    row.number,
                    "credit_code",
                    _("Row %(row)d has the same credit code.") % {"row": first},
                )
            )
        if len(errors) == before:
            valid.append(row)
    return valid


class _References:
    """What a links or sourcing file may call a facility: the buyer's own reference, a credit
    code, or "#123", the facility's number in StoneBridge (what an export writes when the
    facility has neither)."""

    def __init__(self, organisation: Organisation) -> None:
        self.refs = dict(
            FacilityRef.objects.filter(organisation=organisation).values_list("ref", "facility_id")
        )

    @functools.cached_property
    def codes(self) -> dict[str, int]:
        return {
            code: pk
            for code, pk in Facility.objects.exclude(credit_code=None).values_list(
                "credit_code", "pk"
            )
            if code
        }

    @functools.cached_property
    def ids(self) -> set[int]:
        return set(Facility.objects.values_list("pk", flat=True))

    def resolve(self, text: str) -> int:
        if text in self.refs:
            return self.refs[text]
        if text.startswith("#") and text[1:].isdigit() and int(text[1:]) in self.ids:
            return int(text[1:])
        facility = self.codes.get(normalise_credit_code(text))
        if facility is None:
            raise _CellError(
                _(
                    "No facility has the reference or credit code “%(value)s”. Import your "
                    "facilities first, with this reference in their ref column."
                )
                % {"value": text}
            )
        return facility


def _link_key(
    supplier: int | None, customer: int, kind: str, origin_country: str
) -> tuple[Any, ...]:
    """What makes a link the same link: the database allows one per key."""
    if supplier is None:
        return (None, customer, kind, origin_country)
    return (supplier, customer, kind)


def _resolve(references: _References, row: Row, column: str, errors: list[Error]) -> int | None:
    try:
        return references.resolve(row.values[column])
    except _CellError as error:
        errors.append(_error(row.number, column, error.message))
        return None


def _check_links(organisation: Organisation, rows: list[Row], errors: list[Error]) -> list[Row]:
    references = _References(organisation)
    valid: list[Row] = []
    keys: dict[tuple[Any, ...], int] = {}
    for row in rows:
        before = len(errors)
        values = row.values
        supplier = None
        if values["supplier"].casefold() not in _UNKNOWN:
            supplier = _resolve(references, row, "supplier", errors)
        customer = _resolve(references, row, "customer", errors)
        if len(errors) > before or customer is None:
            continue
        values["supplier"], values["customer"] = supplier, customer
        key = _link_key(supplier, customer, values["kind"], values.get("origin_country", ""))
        if first := _first_seen(keys, key, row.number):
            errors.append(
                _error(row.number, "customer", _("Row %(row)d has the same link.") % {"row": first})
            )
            continue
        valid.append(row)
    _check_loops(organisation, valid, errors)
    return valid


def _check_loops(organisation: Organisation, rows: list[Row], errors: list[Error]) -> None:
    """A loop among the buyer's links and the file's is an error on the row that closes it: the
    last of the file's rows on the loop. That row is left out and the search repeated, so each
    loop is reported once."""
    existing = services.all_edges(organisation)
    added = {row.number: row.values for row in rows if row.values["supplier"] is not None}
    rows_of: dict[tuple[int, int], list[int]] = defaultdict(list)
    for number, values in added.items():
        rows_of[(values["supplier"], values["customer"])].append(number)
    while loop := chain.find_cycle(
        [*existing, *(chain.Edge(v["supplier"], v["customer"], v["kind"]) for v in added.values())]
    ):
        on_loop = [n for pair in itertools.pairwise(loop) for n in rows_of[pair] if n in added]
        if not on_loop:
            break  # the buyer's own links loop: not this file's doing (link_create refuses it)
        closing = max(on_loop)
        # Told from this row's supplier on, so the loop reads from the link the row adds.
        start = loop.index(added.pop(closing)["supplier"])
        loop = [*loop[start:-1], *loop[:start], loop[start]]
        names = _names(loop)
        errors.append(
            _error(
                closing,
                "supplier",
                _("This link closes a loop: %(loop)s.")
                % {"loop": " → ".join(names[pk] for pk in loop)},
            )
        )


def _names(ids: Iterable[int]) -> dict[int, str]:
    return {f.pk: str(f) for f in Facility.objects.filter(pk__in=set(ids))}


def _check_sourcing(organisation: Organisation, rows: list[Row], errors: list[Error]) -> list[Row]:
    references = _References(organisation)
    valid = []
    facilities: dict[int, int] = {}
    for row in rows:
        facility = _resolve(references, row, "supplier", errors)
        if facility is None:
            continue
        if first := _first_seen(facilities, facility, row.number):
            errors.append(
                _error(
                    row.number,
                    "supplier",
                    _("Row %(row)d is about the same supplier.") % {"row": first},
                )
            )
            continue
        del row.values["supplier"]
        row.values["facility"] = facility
        valid.append(row)
    return valid


# Matching ------------------------------------------------------------------------------------


@dataclass
class Matching:
    matched: dict[int, int] = field(default_factory=dict)  # row number → registry facility id
    # Rows that may be a registry facility, for a person to decide (ImportJob.review).
    review: list[dict[str, Any]] = field(default_factory=list)
    errors: list[Error] = field(default_factory=list)


def row_key(name_zh: str, name_en: str, city: str) -> str:
    """How a row is recognised in the next upload of the list, for its MatchDecisions."""
    return query_key(name_zh or name_en) + "|" + query_key(city)


@functools.lru_cache(maxsize=10_000)
def _place_key(place: str) -> str:
    """A city or province however it is written: 厦门市, 厦门, "Xiamen" and "Xiamen City" all
    give "xiamen"."""
    words = pinyin_of(place).split()
    if len(words) > 1 and query_key(words[-1]) in ("shi", "sheng", "city", "province"):
        words.pop()
    return query_key("".join(words))


ANYWHERE = "*"  # the scope of a row without a city: the whole registry


class _Scope:
    """The names of the facilities of one city (or province) as words, indexed by the words that
    tell them apart, so a row is compared only with names it shares such a word with.

    Words in many of the names (the city, 石材, 有限公司) tell nothing apart. Comparing every row
    with every name would cost rows times names; a near-miss such as 海晨 for 海辰 shares its
    distinctive word (haichen) with the name it resembles.
    """

    def __init__(self, choices: list[tuple[int, str]]) -> None:
        self.choices = choices
        counts: Counter[str] = Counter()
        for _pk, text in choices:
            counts.update(set(text.split()))
        limit = max(20, len(choices) // 50)
        self.common = frozenset(word for word, count in counts.items() if count > limit)
        self.index: dict[str, list[int]] = defaultdict(list)
        for position, (_pk, text) in enumerate(choices):
            for word in set(text.split()) - self.common:
                self.index[word].append(position)

    def sharing(self, words: str) -> set[int]:
        """The positions of the names sharing a distinctive word with these words."""
        return {
            position
            for word in set(words.split()) - self.common
            for position in self.index.get(word, ())
        }


class _Registry:
    """The shared registry in memory, from one query, for matching many rows quickly.

    Names are indexed per city, and pinyin and the words for fuzzy comparison are computed
    only for the cities the file's rows need, once each.
    """

    def __init__(self) -> None:
        self.code_of: dict[int, str | None] = {}
        self.by_code: dict[str, int] = {}
        self.names: dict[int, tuple[str, str]] = {}
        self.city_of: dict[int, str] = {}
        self.in_place: dict[str, list[int]] = defaultdict(list)  # city key → ids
        self.in_province: dict[str, list[int]] = defaultdict(list)
        self._indexes: dict[tuple[str, str], dict[str, list[int]]] = {}
        self._scopes: dict[str, _Scope] = {}
        self._words: dict[str, str] = {}
        for pk, code, name_zh, name_en, city, province in (
            Facility.objects.order_by("pk")
            .values_list("pk", "credit_code", "name_zh", "name_en", "city", "province")
            .iterator(chunk_size=5000)
        ):
            self.code_of[pk] = code
            if code:
                self.by_code[code] = pk
            self.names[pk] = (name_zh, name_en)
            self.city_of[pk] = city
            if city:
                self.in_place[_place_key(city)].append(pk)
            if province:
                self.in_province[_place_key(province)].append(pk)

    def words(self, name: str) -> str:
        """The words name_similarity compares, once per name: pinyin is the slow part."""
        words = self._words.get(name)
        if words is None:
            words = self._words[name] = _comparable_words(name)
        return words

    def pinyin_key(self, name: str) -> str:
        """query_key(pinyin_of(name)), from the name's words."""
        return self.words(name).replace(" ", "")

    def _index(self, scope: str, script: str) -> dict[str, list[int]]:
        """Facilities by a key of their name: "zh" the Chinese name, "en" the English name, "py"
        the pinyin of the Chinese name."""
        index = self._indexes.get((scope, script))
        if index is None:
            index = defaultdict(list)
            for pk in self.names if scope == ANYWHERE else self.in_place.get(scope, ()):
                name_zh, name_en = self.names[pk]
                if script == "zh" and name_zh:
                    index[query_key(name_zh)].append(pk)
                elif script == "en" and name_en:
                    index[query_key(name_en)].append(pk)
                elif script == "py" and name_zh:
                    index[self.pinyin_key(name_zh)].append(pk)
            self._indexes[(scope, script)] = index
        return index

    def same_name(self, name_zh: str, name_en: str, scope: str) -> list[int]:
        """Facilities of the same name: hanzi to hanzi, Latin to Latin, and pinyin to Latin.
        Never pinyin to pinyin: different hanzi that sound alike are different companies."""
        found: list[int] = []
        if name_zh:
            found += self._index(scope, "zh").get(query_key(name_zh), [])
            english = self._index(scope, "en")
            if english:  # spares the pinyin where nothing could match it
                found += english.get(self.pinyin_key(name_zh), [])
        if name_en:
            key = query_key(name_en)
            found += self._index(scope, "en").get(key, [])
            found += self._index(scope, "py").get(key, [])
        return list(dict.fromkeys(found))

    def similar(self, names: Iterable[str], place: str, province: str) -> list[tuple[int, float]]:
        """Facilities of the row's city (or province, if it has no city) whose name_similarity
        to one of the names is at least SIMILAR, the most similar first."""
        scope = place or ("p:" + province if province else "")
        if scope not in self._scopes:
            members = self.in_place.get(place, ()) if place else self.in_province.get(province, ())
            self._scopes[scope] = _Scope(
                [
                    (pk, words)
                    for pk in members
                    for n in self.names[pk]
                    if n and (words := self.words(n))
                ]
            )
        found = self._scopes[scope]
        if not found.choices:
            return []  # and no pinyin computed for nothing to compare it with
        best: dict[int, float] = {}
        for name in names:
            words = self.words(name)
            for position in found.sharing(words):
                pk, text = found.choices[position]
                score = fuzz.token_set_ratio(words, text, processor=None, score_cutoff=SIMILAR)
                if score:
                    best[pk] = max(best.get(pk, 0.0), score)
        return sorted(best.items(), key=lambda item: (-item[1], item[0]))

    @functools.cache  # noqa: B019 - the registry lives for one import
    def label(self, pk: int) -> str:
        name_zh, name_en = self.names[pk]
        return str(Facility(pk=pk, name_zh=name_zh, name_en=name_en))


def match(organisation: Organisation, rows: list[Row]) -> Matching:
    """Which registry facility each facility row is, in this order: the buyer's reference for
    it, the same credit code, the same name in the same city. Rows with only similar names
    nearby are uncertain: a remembered MatchDecision settles them, or they go to review. Rows
    matched to nothing are new facilities."""
    result = Matching()
    if not rows:
        return result
    registry = _Registry()
    refs = dict(
        FacilityRef.objects.filter(organisation=organisation).values_list("ref", "facility_id")
    )
    decisions: dict[str, dict[int, bool]] = defaultdict(dict)
    for key, candidate, is_same in (
        MatchDecision.objects.filter(organisation=organisation)
        .order_by("decided_at", "pk")
        .values_list("row_key", "candidate_id", "same")
    ):
        decisions[key][candidate] = is_same
    # Credit codes this file gives facilities that have none yet.
    claimed: dict[int, str] = {}

    def code_of(pk: int) -> str | None:
        return registry.code_of.get(pk) or claimed.get(pk)

    def compatible(pk: int, code: str) -> bool:
        # A facility with another credit code is another company, whatever its name.
        return not code or code_of(pk) in (None, "", code)

    def take(row: Row, pk: int) -> None:
        result.matched[row.number] = pk
        code = row.values.get("credit_code")
        if code and not code_of(pk):
            claimed[pk] = code

    for row in rows:
        values = row.values
        ref, code = values.get("ref", ""), values.get("credit_code", "")
        if ref and ref in refs:
            facility = refs[ref]
            conflict = _ref_conflict(registry, ref, facility, code, code_of(facility))
            if conflict:
                result.errors.append(_error(row.number, "credit_code", conflict))
            else:
                take(row, facility)
            continue
        if code and code in registry.by_code:
            take(row, registry.by_code[code])
            continue
        name_zh, name_en = values.get("name_zh", ""), values.get("name_en", "")
        city = values.get("city", "")
        place = _place_key(city) if city else ""
        same = [
            pk
            for pk in registry.same_name(name_zh, name_en, place or ANYWHERE)
            if compatible(pk, code)
        ]
        # In a city, the same name is the same company; without a city only if the name is
        # unique in the whole registry.
        if same and (place or len(same) == 1):
            take(row, same[0])
            continue
        key = row_key(name_zh, name_en, city)
        decided = decisions.get(key, {})
        confirmed = [pk for pk, is_same in decided.items() if is_same and pk in registry.names]
        if confirmed:
            take(row, confirmed[-1])
            continue
        if same:
            candidates = [(pk, 100.0) for pk in same]
        else:
            province = values.get("province", "")
            candidates = registry.similar(
                [n for n in (name_zh, name_en) if n],
                place,
                _place_key(province) if province else "",
            )
        candidates = [(pk, s) for pk, s in candidates if pk not in decided and compatible(pk, code)]
        if candidates:
            result.review.append(
                {
                    "row": row.number,
                    "row_key": key,
                    "name": name_zh or name_en,
                    "city": city,
                    "candidates": [
                        {
                            "id": pk,
                            "name": registry.label(pk),
                            "city": registry.city_of[pk],
                            "score": round(score),
                        }
                        for pk, score in candidates[:CANDIDATES]
                    ],
                }
            )
    return result


def _ref_conflict(
    registry: _Registry, ref: str, facility: int, code: str, facility_code: str | None
) -> str:
    """Why the row's credit code contradicts the facility the buyer's reference is for."""
    if not code or code == facility_code:
        return ""
    if facility_code:
        return _(
            "Your reference %(ref)s is for %(facility)s, whose credit code is %(code)s, "
            "not this one."
        ) % {"ref": ref, "facility": registry.label(facility), "code": facility_code}
    other = registry.by_code.get(code)
    if other is not None and other != facility:
        return _(
            "This credit code is that of %(other)s, but your reference %(ref)s is for %(facility)s."
        ) % {"other": registry.label(other), "ref": ref, "facility": registry.label(facility)}
    return ""


# Writing -------------------------------------------------------------------------------------


class _Progress:
    """processed_rows, written in short updates of their own so the import page sees it move
    while the rows are prepared; the write itself is one transaction, invisible until the end."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.count = 0

    def tick(self) -> None:
        self.count += 1
        if self.count % PROGRESS_EVERY == 0:
            ImportJob.objects.filter(pk=self.job_id).update(processed_rows=self.count)


_FILLABLE = tuple(sorted(services.FACILITY_FIELDS - {"kind", "country"}))


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def _fill(facility: Facility, values: dict[str, Any]) -> bool:
    """Fill the facility's empty fields from the row; what someone already recorded in the shared
    registry is never overwritten by one buyer's list."""
    changed = False
    for name in _FILLABLE:
        value = values.get(name)
        if not _is_empty(value) and _is_empty(getattr(facility, name)):
            setattr(facility, name, list(value or ()) if name == "aliases" else value)
            changed = True
    return changed


def _in_bulk(ids: Iterable[int]) -> dict[int, Facility]:
    ids = list(ids)
    found: dict[int, Facility] = {}
    for start in range(0, len(ids), 500):
        found.update(Facility.objects.in_bulk(ids[start : start + 500]))
    return found


def _prepare_facilities(
    organisation: Organisation,
    by: User | None,
    rows: list[Row],
    matching: Matching,
    progress: _Progress,
) -> tuple[dict[str, int], Writer]:
    existing = _in_bulk(set(matching.matched.values()))
    known_refs = set(
        FacilityRef.objects.filter(organisation=organisation).values_list("ref", flat=True)
    )
    new: list[Facility] = []
    changed: dict[int, Facility] = {}
    refs: list[tuple[str, Facility]] = []
    stated_by_row: list[tuple[Facility, dict[str, Any]]] = []
    now = timezone.now()
    for row in rows:
        values = row.values
        pk = matching.matched.get(row.number)
        if pk is None:
            facility = Facility(
                **{name: values[name] for name in services.FACILITY_FIELDS if name in values}
            )
            facility.aliases = list(facility.aliases)
            services.prepare_facility(facility)
            new.append(facility)
        else:
            facility = existing[pk]
            if _fill(facility, values):
                changed[pk] = facility
        if values.get("ref") and values["ref"] not in known_refs:
            refs.append((values["ref"], facility))
        stated_by_row.append((facility, {f: values.get(f) for f in WORKFORCE_FIELDS}))
        progress.tick()
    for facility in changed.values():
        services.prepare_facility(facility)  # the names may be new: search_text follows them
        facility.updated_at = now

    counts = {"created": len(new), "matched": len(rows) - len(new), "updated": len(changed)}

    def write() -> None:
        Facility.objects.bulk_create(new, batch_size=BATCH)
        Facility.objects.bulk_update(
            changed.values(), [*_FILLABLE, "search_text", "updated_at"], batch_size=500
        )
        if changed:
            facility_changed.send(sender=Facility, facility_ids=list(changed))
        # The figures in a buyer's list are its own statement: they count for its scores only.
        figures = {
            facility.pk: stated
            for facility, stated in stated_by_row
            if any(v is not None for v in stated.values())
        }
        if figures and organisation.has_chain:
            workforce_stated.send(
                sender=Facility, organisation=organisation, by=by, figures=figures
            )
        FacilityRef.objects.bulk_create(
            [FacilityRef(organisation=organisation, ref=r, facility=f) for r, f in refs],
            batch_size=BATCH,
            ignore_conflicts=True,
        )

    return counts, write


_LINK_FIELDS = ("product", "stone_type", "share", "volume", "origin_country")
_SOURCING_FIELDS = ("annual_volume", "annual_value", "currency", "share_of_output")


def _update(target: models.Model, values: dict[str, Any], fields: Iterable[str]) -> bool:
    """Set the fields the file has a column for; True if any changed."""
    changed = False
    for name in fields:
        if name in values and getattr(target, name) != values[name]:
            setattr(target, name, values[name])
            changed = True
    return changed


def _prepare_links(
    organisation: Organisation, rows: list[Row], progress: _Progress
) -> tuple[dict[str, int], Writer]:
    existing = {
        _link_key(link.supplier_id, link.customer_id, link.kind, link.origin_country): link
        for link in Link.objects.filter(organisation=organisation)
    }
    new: list[Link] = []
    changed: list[Link] = []
    for row in rows:
        values = row.values
        key = _link_key(
            values["supplier"], values["customer"], values["kind"], values.get("origin_country", "")
        )
        link = existing.get(key)
        if link is None:
            new.append(
                Link(
                    organisation=organisation,
                    supplier_id=values["supplier"],
                    customer_id=values["customer"],
                    kind=values["kind"],
                    **{name: values[name] for name in _LINK_FIELDS if name in values},
                )
            )
        elif _update(link, values, _LINK_FIELDS):
            changed.append(link)
        progress.tick()

    counts = {"created": len(new), "matched": len(rows) - len(new), "updated": len(changed)}

    def write() -> None:
        Link.objects.bulk_create(new, batch_size=BATCH)
        Link.objects.bulk_update(changed, list(_LINK_FIELDS), batch_size=500)

    return counts, write


def _prepare_sourcing(
    organisation: Organisation, rows: list[Row], progress: _Progress
) -> tuple[dict[str, int], Writer]:
    existing = {s.facility_id: s for s in Sourcing.objects.filter(organisation=organisation)}
    new: list[Sourcing] = []
    changed: list[Sourcing] = []
    for row in rows:
        values = row.values
        sourcing = existing.get(values["facility"])
        if sourcing is None:
            new.append(
                Sourcing(
                    organisation=organisation,
                    facility_id=values["facility"],
                    **{name: values[name] for name in _SOURCING_FIELDS if name in values},
                )
            )
        elif _update(sourcing, values, _SOURCING_FIELDS):
            changed.append(sourcing)
        progress.tick()

    counts = {"created": len(new), "matched": len(rows) - len(new), "updated": len(changed)}

    def write() -> None:
        Sourcing.objects.bulk_create(new, batch_size=BATCH)
        Sourcing.objects.bulk_update(changed, list(_SOURCING_FIELDS), batch_size=500)

    return counts, write


# Services ------------------------------------------------------------------------------------


@dataclass
class Checked:
    """An upload read, validated and matched: what an import would do."""

    total: int
    rows: list[Row]
    errors: list[Error]
    matching: Matching


def check(organisation: Organisation, data: bytes, filename: str, kind: str, fmt: str) -> Checked:
    """Read, validate and match an upload without writing anything."""
    try:
        table = read_table(data, filename)
    except TableError as error:
        return Checked(0, [], [_error(0, "", error.message)], Matching())
    rows, errors = validate(organisation, table, kind, fmt)
    matching = match(organisation, rows) if kind == FACILITIES and not errors else Matching()
    return Checked(len(table.rows), rows, errors + matching.errors, matching)


def _stored(errors: list[Error]) -> list[Error]:
    if len(errors) <= MAX_STORED_ERRORS:
        return errors
    more = len(errors) - MAX_STORED_ERRORS
    return [
        *errors[:MAX_STORED_ERRORS],
        _error(0, "", _("… and %(count)d more errors.") % {"count": more}),
    ]


def import_start(
    *,
    organisation: Organisation,
    by: User | None,
    data: bytes,
    filename: str,
    kind: str,
    fmt: str = STONEBRIDGE,
) -> ImportJob:
    """Check an upload and queue its import, or keep it for review of uncertain matches, or
    fail it with its errors; nothing but the job is written."""
    if kind not in ImportJob.Kind.values or fmt not in ImportJob.Format.values:
        raise ValueError(f"unknown kind or format of import: {kind!r}, {fmt!r}")
    # Checked before the transaction: on SQLite a transaction holds the write lock throughout.
    checked = check(organisation, data, filename, kind, fmt)
    job = ImportJob(
        organisation=organisation,
        created_by=by,
        kind=kind,
        format=fmt,
        filename=filename[-200:],
        data=data,
        total_rows=checked.total,
    )
    if checked.errors:
        job.status = ImportJob.Status.FAILED
        job.errors = _stored(checked.errors)
        job.finished_at = timezone.now()
    elif checked.matching.review:
        job.status = ImportJob.Status.NEEDS_REVIEW
        job.review = checked.matching.review
    else:
        job.status = ImportJob.Status.QUEUED
    with transaction.atomic():
        job.save()
        record(
            actor=by,
            organisation=organisation,
            verb="import.started",
            target=job,
            changes={
                "filename": job.filename,
                "kind": kind,
                "format": fmt,
                "rows": checked.total,
                "status": job.status,
                "errors": len(checked.errors),
                "uncertain": len(job.review),
            },
        )
        if job.status == ImportJob.Status.QUEUED:
            run_import.enqueue(job_id=job.pk)
    if job.status == ImportJob.Status.QUEUED:
        job.refresh_from_db()  # an in-process task backend has run the import already
    return job


@transaction.atomic
def import_decide(
    *, job: ImportJob, by: User | None, row_key: str, candidate: Facility, same: bool
) -> ImportJob:
    """Record whether an uncertain row is that registry facility. Once every row under review is
    settled, the import is queued."""
    job = ImportJob.objects.select_for_update().select_related("organisation").get(pk=job.pk)
    if job.status != ImportJob.Status.NEEDS_REVIEW:
        raise ValidationError(_("This import is not waiting for matches to be confirmed."))
    entries = [e for e in job.review if e["row_key"] == row_key]
    if not any(c["id"] == candidate.pk for e in entries for c in e["candidates"]):
        raise ValidationError(_("This facility is not one of the row's possible matches."))
    MatchDecision.objects.update_or_create(
        organisation=job.organisation,
        row_key=row_key,
        candidate=candidate,
        defaults={"same": same, "decided_by": by, "decided_at": timezone.now()},
    )
    decided = dict(
        MatchDecision.objects.filter(organisation=job.organisation, row_key=row_key).values_list(
            "candidate_id", "same"
        )
    )

    def settled(entry: dict[str, Any]) -> bool:
        ids = [c["id"] for c in entry["candidates"]]
        return any(decided.get(pk) for pk in ids) or all(pk in decided for pk in ids)

    job.review = [e for e in job.review if not (e["row_key"] == row_key and settled(e))]
    if not job.review:
        job.status = ImportJob.Status.QUEUED
    job.save(update_fields=["review", "status"])
    record(
        actor=by,
        organisation=job.organisation,
        verb="import.match_decided",
        target=job,
        changes={"row_key": row_key, "candidate": candidate.pk, "same": same},
    )
    if job.status == ImportJob.Status.QUEUED:
        run_import.enqueue(job_id=job.pk)
        job.refresh_from_db()  # an in-process task backend has run the import already
    return job


def _end(job: ImportJob, verb: str, changes: dict[str, Any]) -> ImportJob:
    job.finished_at = timezone.now() if job.status != ImportJob.Status.NEEDS_REVIEW else None
    with transaction.atomic():
        job.save(update_fields=["status", "errors", "review", "finished_at"])  # not the upload
        record(
            actor=job.created_by,
            organisation=job.organisation,
            verb=verb,
            target=job,
            changes=changes,
        )
    return job


def _fail(job: ImportJob, errors: list[Error]) -> ImportJob:
    job.status = ImportJob.Status.FAILED
    job.errors = _stored(errors)
    return _end(job, "import.failed", {"errors": len(errors)})


def import_run(*, job_id: int) -> ImportJob:
    """Import a queued job: check the file again (the registry and the buyer's links may have
    changed since it was uploaded), then write it all in one transaction, or nothing."""
    # Claimed with one UPDATE, so a worker and the command line never both run it.
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, processed_rows=0
    )
    job = ImportJob.objects.select_related("organisation", "created_by").get(pk=job_id)
    if not claimed:
        return job
    organisation = job.organisation
    checked = check(organisation, bytes(job.data), job.filename, job.kind, job.format)
    if checked.errors:
        return _fail(job, checked.errors)
    if checked.matching.review:
        job.status = ImportJob.Status.NEEDS_REVIEW
        job.review = checked.matching.review
        return _end(job, "import.needs_review", {"uncertain": len(job.review)})
    progress = _Progress(job.pk)
    try:
        # The slow part (pinyin for search, building objects) before the transaction, so the
        # progress is seen and the database is locked only for the writing itself.
        if job.kind == FACILITIES:
            counts, write = _prepare_facilities(
                organisation, job.created_by, checked.rows, checked.matching, progress
            )
        elif job.kind == LINKS:
            counts, write = _prepare_links(organisation, checked.rows, progress)
        else:
            counts, write = _prepare_sourcing(organisation, checked.rows, progress)
        with transaction.atomic():
            write()
            services.chain_rebuild(organisation=organisation)
            job.status = ImportJob.Status.DONE
            job.result = counts
            job.processed_rows = job.total_rows
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "result", "processed_rows", "finished_at"])
            record(
                actor=job.created_by,
                organisation=organisation,
                verb="import.completed",
                target=job,
                changes=counts,
            )
    except ValidationError as error:
        return _fail(job, [_error(0, "", message) for message in error.messages])
    except IntegrityError:
        logger.warning("Import %s conflicted with a concurrent change", job.pk, exc_info=True)
        return _fail(
            job,
            [
                _error(
                    0,
                    "",
                    _(
                        "Someone changed the same facilities while this file was imported. "
                        "Nothing was imported; upload the file again."
                    ),
                )
            ],
        )
    except Exception:
        # Not left "running" for ever; the error itself goes to the task's log.
        _fail(job, [_error(0, "", _("The import failed unexpectedly; nothing was imported."))])
        raise
    return job


# Templates -----------------------------------------------------------------------------------

# Invented companies with valid, made-up credit codes (the divisions are Nan'an and Wulian).
_NANAN_CODE = "91350583MA2Y3K7L1" + credit_code_check_character("91350583MA2Y3K7L1")
_WULIAN_CODE = "91371121MA3C8F2N4" + credit_code_check_character("91371121MA3C8F2N4")

EXAMPLES: dict[str, list[dict[str, object]]] = {
    FACILITIES: [
        {
            "ref": "SUP-0001",
            "kind": "加工厂",
            "name_zh": "南安市水头镇示例石材有限公司",
            "name_en": "Nan'an Shuitou Shili Stone Co., Ltd.",
            "aliases": "示例石材、Shili Stone",
            "country": "CN",
            "province": "福建省",
            "city": "南安市",
            "district": "水头镇",
            "address": "水头镇五里桥石材工业区8号",
            "latitude": Decimal("24.716500"),
            "longitude": Decimal("118.420300"),
            "credit_code": _NANAN_CODE,
            "activities": "锯切、抛光、火烧",
            "stone_types": "花岗岩、大理石",
            "workers": 85,
            "migrant_share": "35%",
            "dispatched_share": "10%",
            "intern_share": "5%",
            "os_hub_id": "",
        },
        {
            "ref": "SUP-0002",
            "kind": "矿山",
            "name_zh": "五莲县示例花岗岩矿业有限公司",
            "name_en": "Wulian Shili Granite Mining Co., Ltd.",
            "aliases": "",
            "country": "CN",
            "province": "山东省",
            "city": "日照市",
            "district": "五莲县",
            "address": "五莲县叩官镇示例村北",
            "latitude": Decimal("35.696000"),
            "longitude": Decimal("119.185000"),
            "credit_code": _WULIAN_CODE,
            "activities": "开采",
            "stone_types": "花岗岩",
            "workers": 42,
            "migrant_share": "0.2",
            "dispatched_share": "",
            "intern_share": "",
            "os_hub_id": "",
        },
    ],
    LINKS: [
        {
            "supplier": "SUP-0002",
            "customer": "SUP-0001",
            "kind": "供应荒料",
            "product": "荒料",
            "stone_type": "花岗岩",
            "share": "60%",
            "volume": 1200,
            "origin_country": "",
        },
        {
            "supplier": "未知",
            "customer": "SUP-0001",
            "kind": "供应荒料",
            "product": "大理石荒料",
            "stone_type": "大理石",
            "share": "40%",
            "volume": 800,
            "origin_country": "TR",
        },
    ],
    SOURCING: [
        {
            "supplier": "SUP-0001",
            "annual_volume": 850,
            "annual_value": 420000,
            "currency": "EUR",
            "share_of_output": "15%",
        },
        {
            "supplier": _WULIAN_CODE,
            "annual_volume": 300,
            "annual_value": 96000,
            "currency": "EUR",
            "share_of_output": "5%",
        },
    ],
}


def template_columns(kind: str) -> list[Column]:
    return [c for c in SPECS[(kind, STONEBRIDGE)].columns if not c.ignored]


def template(kind: str, fmt_ext: str) -> bytes:
    """An empty list to fill in, as .csv or .xlsx: bilingual headings and two example rows."""
    columns = template_columns(kind)
    headers = [c.header for c in columns]
    rows = [[example[c.key] for c in columns] for example in EXAMPLES[kind]]
    if fmt_ext == "csv":
        return write_csv(headers, rows)
    if fmt_ext == "xlsx":
        return write_xlsx(headers, rows, sheet_title=kind)
    raise ValueError(f"unknown template format: {fmt_ext!r}")
