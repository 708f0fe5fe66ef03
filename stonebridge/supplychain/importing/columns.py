"""What an imported list holds: the columns of each kind of list, in StoneBridge's format and
Open Supply Hub's, how Open Supply Hub's rows become facilities, and the templates to fill in."""

import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..codes import credit_code_check_character
from ..models import FacilityKind, ImportJob, pack_codes
from ..tabular import write_csv, write_xlsx
from . import values as cells
from .values import (
    ACTIVITIES,
    FACILITY_KINDS,
    HANZI,
    LINK_KINDS,
    LIST_SEPARATORS,
    STONES,
    CellError,
    Choices,
    Parser,
)

FACILITIES = ImportJob.Kind.FACILITIES
LINKS = ImportJob.Kind.LINKS
SOURCING = ImportJob.Kind.SOURCING
STONEBRIDGE = ImportJob.Format.STONEBRIDGE
OSHUB = ImportJob.Format.OSHUB


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
        return frozenset(header_key(n) for n in (self.key, self.label_en, self.label_zh) if n)

    @functools.cached_property
    def bracketed(self) -> re.Pattern[str]:
        return re.compile(rf"[(\[【]\s*{re.escape(self.key)}\s*[)\]】]")


@dataclass(frozen=True)
class Spec:
    columns: tuple[Column, ...]
    # Each group: at least one of these columns must be in the file.
    needed: tuple[tuple[str, ...], ...]
    # Open Supply Hub lists carry columns of their own beyond those it documents (a contributor's
    # extra fields): like Open Supply Hub, the import leaves them out and says so.
    extra_ignored: bool = False

    def column_for(self, header: str) -> Column | None:
        normal = header_key(header)
        return next(
            (c for c in self.columns if normal in c.names or c.bracketed.search(normal)), None
        )

    def ignored(self, headers: list[str]) -> list[str]:
        """The file's headings of no column, when this list leaves them out."""
        if not self.extra_ignored:
            return []
        return [header for header in headers if self.column_for(header) is None]


def header_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


FACILITY_COLUMNS = (
    Column("ref", "Your reference", "贵方编号", cells.text(100)),
    Column("kind", "Kind", "类型", FACILITY_KINDS, required=True),
    Column("name_zh", "Name in Chinese", "中文名称", cells.text(200)),
    Column("name_en", "Name in English or pinyin", "英文或拼音名称", cells.text(200)),
    Column("aliases", "Other names", "其他名称", cells.aliases, empty=()),
    Column("country", "Country", "国家", cells.country, empty="CN"),
    Column("province", "Province", "省份", cells.text(50)),
    Column("city", "City", "城市", cells.text(50)),
    Column("district", "District or county", "区县", cells.text(50)),
    Column("address", "Address", "地址", cells.text(300)),
    Column("latitude", "Latitude", "纬度", cells.latitude, empty=None),
    Column("longitude", "Longitude", "经度", cells.longitude, empty=None),
    Column("credit_code", "Unified social credit code", "统一社会信用代码", cells.credit_code),
    Column("activities", "Activities", "工序", cells.code_list(ACTIVITIES)),
    Column("stone_types", "Stone types", "石材种类", cells.code_list(STONES)),
    Column("workers", "Workers", "工人人数", cells.whole, empty=None),
    Column(
        "migrant_share", "Share of migrant workers", "外地务工人员比例", cells.share, empty=None
    ),
    Column(
        "dispatched_share", "Share of dispatched workers", "劳务派遣工比例", cells.share, empty=None
    ),
    Column("intern_share", "Share of student interns", "实习生比例", cells.share, empty=None),
    Column("os_hub_id", "Open Supply Hub ID", "Open Supply Hub 编号", cells.text(20)),
    Column("tier", "Tier", "层级", cells.text(20), ignored=True),
)
LINK_COLUMNS = (
    Column("supplier", "Supplier", "供应商", cells.text(100)),
    Column("customer", "Customer", "客户", cells.text(100), required=True),
    Column("kind", "Kind of link", "关系类型", LINK_KINDS, required=True),
    Column("product", "Product", "产品", cells.text(100)),
    Column("stone_type", "Stone type", "石材种类", STONES),
    Column("share", "Share of the customer's input", "占客户进料的比例", cells.share, empty=None),
    Column("volume", "Annual volume (m³)", "年供应量（立方米）", cells.amount(12), empty=None),
    Column("origin_country", "Country of origin", "原产国", cells.country),
)
SOURCING_COLUMNS = (
    Column("supplier", "Supplier", "供应商", cells.text(100), required=True),
    Column(
        "annual_volume", "Annual volume (m³)", "年采购量（立方米）", cells.amount(12), required=True
    ),
    Column("annual_value", "Annual value", "年采购金额", cells.amount(14), empty=None),
    Column("currency", "Currency", "币种", cells.currency, empty="EUR"),
    Column(
        "share_of_output",
        "Share of the supplier's output",
        "占供应商产量的比例",
        cells.share,
        empty=None,
    ),
)
# Open Supply Hub's list format, under its own (English) headings.
OSHUB_COLUMNS = (
    Column("country", "country", "", cells.country, required=True),
    Column("name", "name", "", cells.text(200), required=True),
    Column("address", "address", "", cells.text(300)),
    Column("sector", "sector", "", cells.text(200)),
    Column("product_type", "product_type", "", cells.text(500)),
    Column("facility_type", "facility_type", "", cells.text(500)),
    Column("processing_type", "processing_type", "", cells.text(500)),
    Column("number_of_workers", "number_of_workers", "", cells.workers_range, empty=None),
    Column("parent_company", "parent_company", "", cells.text(200)),
    Column("lat", "lat", "", cells.latitude, empty=None),
    Column("lng", "lng", "", cells.longitude, empty=None),
)
SPECS: dict[tuple[str, str], Spec] = {
    (FACILITIES, STONEBRIDGE): Spec(FACILITY_COLUMNS, (("kind",), ("name_zh", "name_en"))),
    (LINKS, STONEBRIDGE): Spec(LINK_COLUMNS, (("supplier",), ("customer",), ("kind",))),
    (SOURCING, STONEBRIDGE): Spec(SOURCING_COLUMNS, (("supplier",), ("annual_volume",))),
    (FACILITIES, OSHUB): Spec(OSHUB_COLUMNS, (("country",), ("name",)), extra_ignored=True),
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


def _known_codes(choices: Choices, raw: str) -> str:
    """The codes among "Granite|Marble|…"; Open Supply Hub's other product types are left out."""
    codes = []
    for part in LIST_SEPARATORS.split(unicodedata.normalize("NFKC", raw)):
        try:
            codes.append(choices(part))
        except CellError:
            continue
    return pack_codes(codes)


def from_oshub(values: dict[str, Any]) -> dict[str, Any]:
    name = values["name"]
    hanzi = HANZI.search(name) is not None
    return {
        "kind": _oshub_kind(values.get("facility_type", ""), values.get("processing_type", "")),
        "name_zh": name if hanzi else "",
        "name_en": "" if hanzi else name,
        "country": values["country"],
        "address": values.get("address", ""),
        "workers": values.get("number_of_workers"),
        "latitude": values.get("lat"),
        "longitude": values.get("lng"),
        "stone_types": _known_codes(STONES, values.get("product_type", "")),
        "activities": _known_codes(ACTIVITIES, values.get("processing_type", "")),
    }


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
