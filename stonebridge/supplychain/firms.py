"""Telling firms apart by their names: is this row the registry's facility, or another firm?

A Chinese enterprise name is made of four parts: the administrative division, the trade name
(字号), the industry or business feature, and the organisational form (企业名称登记管理规定,
2020, art. 6): 南安市 + 鑫源 + 石材 + 厂. Only the trade name — here called the brand — tells
firms apart. In a stone town every firm shares the division, and most share the industry words
and the legal form, so a similarity over the whole name ranks 南安市水头磊鑫石材厂 next to
南安市水头鑫源石材厂, while the same firm written without 市 or in traditional characters
looks further away.

So a name is reduced to its brand before comparing:

- traditional characters become simplified (OpenCC's maintained t2s tables), full-width
  letters half-width, Latin letters lower case;
- bracketed parts are dropped: in Chinese company names they hold a place (（厦门）) or a
  partnership form (（普通合伙）), never the trade name;
- places are stripped from the front (and, in Latin names, wherever they stand): the provinces,
  the province, city and district of both facilities, and any two or three characters followed
  by 省/市/县/区/镇/乡 in either name, so 南安市 in one name teaches that 南安 in the other is a
  place too;
- the legal form and the industry words are stripped from the end (`LEGAL_FORMS`,
  `INDUSTRY_WORDS`, and their English and pinyin forms). Industry words count as industry, not
  brand, because they name what the firm does, which its neighbours do too (石材, 石业, 石雕,
  加工, Stone, Carving); words that could be a trade name on their own (金, 华, 宏达) are never
  in these lists. A name left with nothing (五莲县叩官镇石材矿) keeps its most specific place
  as its brand: such firms are known by their village;
- two Chinese brands that begin alike and go on differently lose their shared start: it is a
  town no list knew (水头磊鑫 and 水头鑫源 compare 磊鑫 with 鑫源);
- numbers written in digits (二厂 is not touched; 12 in a generated name is) are kept apart:
  two firms numbered differently are different.

Brands are compared hanzi to hanzi when both firms have a Chinese name (sound is not enough:
鑫源 and 新元 are both "xinyuan"); otherwise the pinyin of the Chinese brand is compared with the
Latin one. The order of the characters counts: 磊鑫 is not 鑫磊.

A comparison never decides on its own that two firms are the same when anything contradicts
it: a different unified social credit code (the same code is the same legal person), provinces
that differ, a city of one firm that is none of the other's places, or different numbers.

The scores are StoneBridge defaults, chosen so that every pair of tests/supplychain/data/
firm_pairs.csv written for one firm scores above every pair of two firms.
"""

import functools
import hashlib
import itertools
import re
import unicodedata
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

import opencc
import pypinyin
from pypinyin import lazy_pinyin
from rapidfuzz import fuzz

from .firm_words import (
    DIVISION_SUFFIXES,
    INDUSTRY_WORDS,
    LATIN_DIVISIONS,
    LATIN_LEGAL_AND_INDUSTRY,
    LEGAL_FORMS,
    PINYIN_DIVISIONS,
    PROVINCES,
)
from .names import comparable_words, query_key

# StoneBridge defaults.
SAME_BRAND = 100  # both Chinese brands written alike
SAME_SOUND = 95  # a Latin brand that is the pinyin of the other's, or two Latin brands alike
AGREES = SAME_SOUND  # a brand score from which the brands agree
# Two Chinese brands read alike but written differently (海辰, 海晨): another firm, or a slip of
# the input method; worth asking, never matching.
SOUNDS_ALIKE = 70
DIFFERENT_BRAND_WEIGHT = 0.8  # brands that differ score at most 80
CONTRADICTED = 60  # the most a pair scores when a place or a number contradicts it

# Two or three hanzi and a division suffix at the start of a name; not 市场 (a market) or 区域.
_LEADING_DIVISION = re.compile(r"^([\u4e00-\u9fff]{2,3}?)(?:省|市|县|区|镇|乡)(?![场域])")
_ZH_SUFFIXES = tuple(sorted(LEGAL_FORMS + INDUSTRY_WORDS, key=len, reverse=True))


_TO_SIMPLIFIED = opencc.OpenCC("t2s")
_HANZI = re.compile(r"[\u3400-\u9fff]")
_BRACKETED = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")
_DIGITS = re.compile(r"\d+")
_LATIN_WORD = re.compile(r"[a-z0-9']+")
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")  # what str.isalnum() rejects, as \w is what it accepts


@functools.lru_cache(maxsize=65536)
def simplified(text: str) -> str:
    """The text in simplified characters, full-width forms made half-width, case-folded."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _TO_SIMPLIFIED.convert(text) if _HANZI.search(text) else text


@functools.lru_cache(maxsize=65536)
def _pinyin(hanzi: str) -> str:
    return query_key("".join(lazy_pinyin(hanzi)))


def _without_division(place: str) -> str:
    for suffix in DIVISION_SUFFIXES:
        if place.endswith(suffix) and len(place) > len(suffix):
            return place[: -len(suffix)]
    return place


@functools.lru_cache(maxsize=65536)
def places_of_field(field: str) -> tuple[str, ...]:
    """The places a province, city or district field names, hanzi without their suffixes (or a
    Latin name as its key): "南安市水头镇" → ("南安", "水头"); "Xiamen City" → ("xiamen",)."""
    text = simplified(field).strip()
    if not text:
        return ()
    if not _HANZI.search(text):
        words = [w for w in _LATIN_WORD.findall(text) if w not in LATIN_DIVISIONS]
        return (query_key("".join(words)),) if words else ()
    found: list[str] = []
    rest = text
    while match := _LEADING_DIVISION.match(rest):
        found.append(match.group(1))
        rest = rest[match.end() :]
    if rest:
        found.append(_without_division(rest))
    return tuple(found)


@dataclass(frozen=True)
class _Parsed:
    """A name reduced as far as it can be without knowing the other firm: `core` is what is
    left after the leading divisions it names itself and its legal form and industry words."""

    core: str  # simplified hanzi (Chinese) or Latin words separated by spaces
    places: tuple[str, ...]  # the divisions it names with a suffix, in order
    numbers: frozenset[str]
    chinese: bool


# As many names as a long list has (two per row): an import parses a row's names when it matches
# them and again when it keeps them with the new facility.
@functools.lru_cache(maxsize=1 << 17)
def _parse(name: str) -> _Parsed:
    text = _BRACKETED.sub(" ", simplified(name))
    numbers = frozenset(n.lstrip("0") or "0" for n in _DIGITS.findall(text))
    text = _DIGITS.sub(" ", text)
    if _HANZI.search(text):
        text = _NOT_ALPHANUMERIC.sub("", text)
        places: list[str] = []
        while (match := _LEADING_DIVISION.match(text)) and match.end() < len(text):
            places.append(match.group(1))
            text = text[match.end() :]
        return _Parsed(_strip_suffixes(text), tuple(places), numbers, chinese=True)
    words = [query_key(w) for w in _LATIN_WORD.findall(text)]
    words = [w for w in words if w and w not in LATIN_LEGAL_AND_INDUSTRY]
    return _Parsed(" ".join(words), (), numbers, chinese=False)


@functools.lru_cache(maxsize=65536)
def _strip_suffixes(text: str) -> str:
    stripped = True
    while stripped:
        stripped = False
        for suffix in _ZH_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
                stripped = True
                break
    # A name that is nothing but a legal form or an industry keeps it.
    return text


@dataclass(frozen=True)
class Firm:
    """What the comparison knows of a firm: a facility of the registry or a row of a file."""

    name_zh: str = ""
    name_en: str = ""
    credit_code: str = ""
    province: str = ""
    city: str = ""
    district: str = ""

    # Its names as parsed already (kept with a registry facility, see `keep`), or () to parse.
    kept: tuple[_Parsed, ...] = field(default=(), compare=False, repr=False)

    def names(self) -> list[str]:
        return [n for n in (self.name_zh, self.name_en) if n.strip()]

    @functools.cached_property
    def parsed(self) -> tuple[_Parsed, ...]:
        """Its names reduced as far as they can be alone, once per firm: an import asks for a
        registry facility's brand, numbers and places at different times."""
        return self.kept or tuple(_parse(name) for name in self.names())

    def named_places(self) -> tuple[str, ...]:
        """The places its Chinese name marks as places with a division suffix (南安市水头镇… →
        南安, 水头), for a registry to learn its places from names as well as fields."""
        return self.parsed[0].places if self.name_zh.strip() else ()

    def field_places(self) -> set[str]:
        return {p for f in (self.province, self.city, self.district) for p in places_of_field(f)}


class Places:
    """Places known to be places: hanzi without their division suffix, and their pinyin.

    Built once from what the registry holds (the province, city and district of its
    facilities), so a name such as 南安磊鑫石材厂, written without 市, still loses its city.
    """

    def __init__(self, names: Iterable[str] = ()) -> None:
        names = set(names)
        self.hanzi = {n for n in names if len(n) > 1 and _HANZI.search(n)}
        self.latin = {_pinyin(n) for n in self.hanzi} | {
            n for n in names if n and not _HANZI.search(n)
        }

    @classmethod
    def from_fields(cls, fields: Iterable[str]) -> "Places":
        """From province, city or district fields as they are written ("南安市水头镇")."""
        return cls(p for field in set(fields) for p in places_of_field(field))

    def __contains__(self, word: str) -> bool:
        return word in self.hanzi or word in self.latin


@functools.lru_cache(maxsize=4096)
def _field_places(province: str, city: str, district: str) -> Places:
    """The places of a firm's own fields, once per place: many firms share them."""
    return Places(p for f in (province, city, district) for p in places_of_field(f))


_PROVINCES = Places(PROVINCES)
_NO_PLACES = Places()
_LONGEST_PLACE = 6


def _leading_place(text: str, known: tuple[Places, ...]) -> str:
    for length in range(min(_LONGEST_PLACE, len(text)), 1, -1):
        head = text[:length]
        for places in known:  # a loop, not any(): asked for every name an import reads
            if head in places:
                return head
    return ""


def _brand(parsed: _Parsed, known: tuple[Places, ...]) -> str:
    """The distinctive part of a parsed name once the places known for the pair are gone."""
    if parsed.chinese:
        text = parsed.core
        last_place = parsed.places[-1] if parsed.places else ""
        while text:
            if place := _leading_place(text, known):
                text = text[len(place) :]
                suffix = next((s for s in DIVISION_SUFFIXES if text.startswith(s)), "")
                text = text[len(suffix) :]
            elif match := _LEADING_DIVISION.match(text):
                place, text = match.group(1), text[match.end() :]
            else:
                break
            last_place = place
        brand = _strip_suffixes(text)
        if not brand or brand in LEGAL_FORMS or brand in INDUSTRY_WORDS:
            return last_place
        return brand
    words = parsed.core.split()
    kept: list[str] = []
    after_place = False
    for word in words:
        if word in LATIN_DIVISIONS or any(word in places for places in known):
            after_place = True
            continue
        if after_place and word in PINYIN_DIVISIONS:
            continue
        after_place = False
        kept.append(word)
    if not kept:
        places_named = [w for w in words if any(w in places for places in known)]
        return places_named[-1] if places_named else ""
    return "".join(kept)


# An import works out the words of a new name when it matches the row and again when it keeps
# them with the new facility; pinyin is the slow part.
@functools.lru_cache(maxsize=1 << 17)
def words(name: str) -> str:
    """A name's words as an import looks for near misses: the pinyin words of its simplified
    form (names.comparable_words)."""
    return comparable_words(simplified(name))


# What parsing a name and finding its words depend on besides the code: parts kept by other word
# lists or dictionaries are worked out again. Raise the number when _parse or
# names.comparable_words change.
# (Sorted: a set's order changes from one process to the next.)
_RULES = (LEGAL_FORMS, INDUSTRY_WORDS, sorted(LATIN_LEGAL_AND_INDUSTRY), DIVISION_SUFFIXES)
_DICTIONARIES = (pypinyin.__version__, opencc.__version__)
_KEPT_MARK = "v1:" + hashlib.sha256(repr((_RULES, _DICTIONARIES)).encode()).hexdigest()[:12]


def _kept_mark(name_zh: str, name_en: str) -> str:
    # The names are part of the mark: parts kept for other names (a facility renamed without
    # services.prepare_facility) are never taken for these.
    names = "\n".join((name_zh, name_en)).encode()
    return f"{_KEPT_MARK}:{zlib.crc32(names):08x}"


def keep(name_zh: str, name_en: str) -> str:
    """What an import needs of a firm's names, worked out once when a facility's names are saved,
    so an import does not parse the whole registry again: a mark of the rules and the names that
    made it, then one line per name (Firm.names' order) of its words and parts, tab-separated."""
    lines = [_kept_mark(name_zh, name_en)]
    for name in Firm(name_zh=name_zh, name_en=name_en).names():
        parsed = _parse(name)
        numbers = ",".join(sorted(parsed.numbers))
        zh = "zh" if parsed.chinese else ""
        lines.append("\t".join((words(name), parsed.core, ",".join(parsed.places), numbers, zh)))
    return "\n".join(lines)


class Kept(NamedTuple):
    parsed: tuple[_Parsed, ...]
    words: tuple[str, ...]


def kept(text: str, name_zh: str, name_en: str) -> Kept | None:
    """The parts and the words of these names as `keep` wrote them, or None when it did not (a
    facility saved before, by other rules, or with other names)."""
    mark, _, lines = text.partition("\n")
    if mark != _kept_mark(name_zh, name_en):
        return None
    parsed, found = [], []
    for line in lines.split("\n") if lines else ():
        name_words, core, places, numbers, zh = line.split("\t")
        found.append(name_words)
        parsed.append(
            _Parsed(
                core,
                tuple(places.split(",")) if places else (),
                frozenset(numbers.split(",")) if numbers else frozenset(),
                chinese=zh == "zh",
            )
        )
    return Kept(tuple(parsed), tuple(found))


def brand_keys(firm: Firm, places: Places | None = None) -> set[str]:
    """Keys under which a firm can be looked up by its brand: "zh:" and the Chinese brand,
    "la:" and the Latin brand or the pinyin of the Chinese one. Firms sharing a key are worth
    comparing; the places known of each firm alone may leave a brand longer than `compare`
    finds it, so a lookup finds the firms that agree, not all that resemble each other."""
    known = (
        _field_places(firm.province, firm.city, firm.district),
        _PROVINCES,
        places or _NO_PLACES,
    )
    keys: set[str] = set()
    for parsed in firm.parsed:
        brand = _brand(parsed, known)
        # Firms numbered differently never match: the number narrows the lookup.
        number = "#" + ",".join(sorted(parsed.numbers)) if parsed.numbers else ""
        if brand and parsed.chinese:
            keys |= {"zh:" + brand + number, "la:" + _pinyin(brand) + number}
        elif brand:
            keys.add("la:" + brand + number)
    return keys


def _without_shared_start(a: str, b: str) -> tuple[str, str]:
    """Two Chinese brands that begin with the same two or more characters and go on with two
    or more different ones: the start is a place no list knew (水头磊鑫, 水头鑫源)."""
    shared = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    if shared >= 2 and len(a) - shared >= 2 and len(b) - shared >= 2:
        return a[shared:], b[shared:]
    return a, b


def _brand_score(a: str, a_chinese: bool, b: str, b_chinese: bool) -> float:
    if not a or not b:
        return 0.0
    if a_chinese and b_chinese:
        a, b = _without_shared_start(a, b)
        if a == b:
            return float(SAME_BRAND)
        if _pinyin(a) == _pinyin(b):
            return float(SOUNDS_ALIKE)
        return fuzz.ratio(a, b) * DIFFERENT_BRAND_WEIGHT
    a_key = _pinyin(a) if a_chinese else a
    b_key = _pinyin(b) if b_chinese else b
    if a_key == b_key:
        return float(SAME_SOUND)
    return fuzz.ratio(a_key, b_key) * DIFFERENT_BRAND_WEIGHT


@dataclass(frozen=True)
class Comparison:
    score: int  # 0-100: how likely the two are one firm
    brand_a: str  # the brands compared, for explanations and tests
    brand_b: str
    brand_agrees: bool
    # Why the pair cannot be matched automatically although it may be one firm: "credit_code",
    # "province", "city", "number", or "" when nothing contradicts it.
    contradiction: str

    @property
    def matches(self) -> bool:
        """One firm, to be matched without asking anyone."""
        return self.brand_agrees and not self.contradiction


def _place_keys(places: Iterable[str]) -> set[str]:
    return {_pinyin(p) if _HANZI.search(p) else p for p in places}


def _contradiction(a: Firm, b: Firm, a_places: set[str], b_places: set[str]) -> str:
    a_province = _place_keys(places_of_field(a.province))
    b_province = _place_keys(places_of_field(b.province))
    if a_province and b_province and not a_province & b_province:
        return "province"
    # A city may be stated at prefecture level by one (泉州) and county level by the other (南安):
    # only a city that is none of the other's places contradicts it.
    a_city = _place_keys(places_of_field(a.city))
    b_city = _place_keys(places_of_field(b.city))
    if a_city and b_city and not (a_city & _place_keys(b_places) or b_city & _place_keys(a_places)):
        return "city"
    return ""


def _same_code(a: Firm, b: Firm) -> bool:
    return a.credit_code.strip().upper() == b.credit_code.strip().upper()


def _parsed_pair(a: Firm, b: Firm) -> tuple[list[_Parsed], list[_Parsed], set[str], set[str]]:
    parsed_a, parsed_b = list(a.parsed), list(b.parsed)
    a_places = a.field_places() | {p for parsed in parsed_a for p in parsed.places}
    b_places = b.field_places() | {p for parsed in parsed_b for p in parsed.places}
    return parsed_a, parsed_b, a_places, b_places


def _pair_contradiction(
    a: Firm,
    b: Firm,
    parsed_a: list[_Parsed],
    parsed_b: list[_Parsed],
    a_places: set[str],
    b_places: set[str],
) -> str:
    found = _contradiction(a, b, a_places, b_places)
    numbers_a = frozenset().union(*(p.numbers for p in parsed_a))
    numbers_b = frozenset().union(*(p.numbers for p in parsed_b))
    if not found and numbers_a and numbers_b and numbers_a != numbers_b:
        found = "number"
    return found


def numbers(firm: Firm) -> frozenset[str]:
    """The numbers written in digits in a firm's names: two firms numbered differently are two
    firms (see `contradiction`)."""
    return frozenset().union(*(parsed.numbers for parsed in firm.parsed))


def contradiction(a: Firm, b: Firm) -> str:
    """What keeps two firms from being matched without asking, as `compare` gives it
    ("credit_code", "province", "city", "number", or ""), without weighing their brands: an
    import looks for near misses among many facilities, and most are contradicted."""
    if a.credit_code and b.credit_code:
        return "" if _same_code(a, b) else "credit_code"
    return _pair_contradiction(a, b, *_parsed_pair(a, b))


def compare(a: Firm, b: Firm, places: Places | None = None) -> Comparison:
    """How likely two firms are one, and whether they may be matched without asking.

    `places` are the places known besides the provinces and those the two firms name (usually
    the registry's). Symmetric, between 0 and 100. See the module's docstring for what is
    compared.
    """
    if a.credit_code and b.credit_code:
        same = _same_code(a, b)
        return Comparison(
            score=100 if same else 0,
            brand_a="",
            brand_b="",
            brand_agrees=same,
            contradiction="" if same else "credit_code",
        )
    parsed_a, parsed_b, a_places, b_places = _parsed_pair(a, b)
    known = (Places(a_places | b_places), _PROVINCES, places or _NO_PLACES)
    # Hanzi against hanzi when both firms have a Chinese name; otherwise every pair of names.
    pairs = list(itertools.product(parsed_a, parsed_b))
    if any(x.chinese and y.chinese for x, y in pairs):
        pairs = [(x, y) for x, y in pairs if x.chinese and y.chinese]
    scored = [
        (_brand_score(brand_x, x.chinese, brand_y, y.chinese), brand_x, brand_y)
        for x, y in pairs
        for brand_x, brand_y in [(_brand(x, known), _brand(y, known))]
    ]
    best = max(scored, key=lambda item: item[0], default=(0.0, "", ""))
    score, brand_a, brand_b = best
    contradiction = _pair_contradiction(a, b, parsed_a, parsed_b, a_places, b_places)
    if contradiction:
        score = min(score, CONTRADICTED)
    return Comparison(
        score=round(score),
        brand_a=brand_a,
        brand_b=brand_b,
        brand_agrees=best[0] >= AGREES,
        contradiction=contradiction,
    )
