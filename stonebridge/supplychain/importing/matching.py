"""Which facility of the shared registry each row of a facilities list is."""

import dataclasses
import functools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from stonebridge.accounts.models import Organisation
from stonebridge.defaults import queries as defaults
from stonebridge.defaults.models import Key

from .. import firms
from ..models import Facility, FacilityRef, MatchDecision
from ..names import pinyin_of, query_key
from .progress import Progress
from .validation import Row
from .values import Error, error_at

CANDIDATES = 3  # uncertain candidates shown per row


@dataclass
class Matching:
    matched: dict[int, int] = field(default_factory=dict)  # row number → registry facility id
    # Rows that may be a registry facility, for a person to decide (ImportJob.review).
    review: list[dict[str, Any]] = field(default_factory=list)
    errors: list[Error] = field(default_factory=list)
    # Row number → the registry facilities weighed for it with their scores, best first.
    candidates: dict[int, list[tuple[int, int]]] = field(default_factory=dict)


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
    tell them apart and by the numbers the names are written with, so a row is compared only
    with names it shares such a word with and that are not numbered differently.

    Words in many of the names (the city, 石材, 有限公司) tell nothing apart. Comparing every row
    with every name would cost rows times names; a near-miss such as 海晨 for 海辰 shares its
    distinctive word (haichen) with the name it resembles. Two firms numbered differently are
    never matched (firms.contradiction), so a generated list of 一厂 2, 一厂 3… compares nothing.
    """

    def __init__(self, choices: list[tuple[int, str, frozenset[str]]]) -> None:
        self.choices = choices
        counts: Counter[str] = Counter()
        for _pk, text, _numbers in choices:
            counts.update(set(text.split()))
        limit = max(20, len(choices) // 50)
        self.common = frozenset(word for word, count in counts.items() if count > limit)
        # word → the numbers of the names holding it → their positions
        self.index: dict[str, dict[frozenset[str], list[int]]] = defaultdict(dict)
        for position, (_pk, text, numbers) in enumerate(choices):
            for word in set(text.split()) - self.common:
                self.index[word].setdefault(numbers, []).append(position)

    def sharing(self, words: str, numbers: frozenset[str]) -> set[int]:
        """The positions of the names sharing a distinctive word with these words, numbered as
        they are or not at all."""
        found: set[int] = set()
        for word in set(words.split()) - self.common:
            by_number = self.index.get(word)
            if not by_number:
                continue
            if not numbers:
                for positions in by_number.values():
                    found.update(positions)
                continue
            found.update(by_number.get(numbers, ()))
            found.update(by_number.get(_UNNUMBERED, ()))
        return found


_UNNUMBERED: frozenset[str] = frozenset()


class _Registry:
    """The shared registry in memory, from one query, for matching many rows quickly.

    Facilities are indexed by their brand words (see firms) in the row's city (or province),
    and by the words of their names for near misses; both indexes are built only for the
    places the file's rows need, once each.
    """

    def __init__(self) -> None:
        self.firms: dict[int, firms.Firm] = {}
        self.details: dict[int, tuple[str, str, int | None]] = {}  # city, address, workers
        self.by_code: dict[str, int] = {}
        self.in_place: dict[str, list[int]] = defaultdict(list)  # city key → ids
        self.in_province: dict[str, list[int]] = defaultdict(list)
        self._brands: dict[str, dict[str, list[int]]] = {}
        self._scopes: dict[str, _Scope] = {}
        self._kept_words: dict[int, tuple[str, ...]] = {}  # as kept with the facility
        self._numbers: dict[int, frozenset[str]] = {}
        place_names: set[str] = set()
        for pk, code, name_zh, name_en, province, city, district, address, workers, parts in (
            Facility.objects.order_by("pk")
            .values_list(
                "pk",
                "credit_code",
                "name_zh",
                "name_en",
                "province",
                "city",
                "district",
                "address",
                "workers",
                "name_parts",
            )
            .iterator(chunk_size=5000)
        ):
            kept = firms.kept(parts, name_zh, name_en)
            firm = firms.Firm(
                name_zh=name_zh,
                name_en=name_en,
                credit_code=code or "",
                province=province,
                city=city,
                district=district,
                kept=kept.parsed if kept else (),
            )
            if kept:
                self._kept_words[pk] = kept.words
            self.firms[pk] = firm
            self.details[pk] = (city, address, workers)
            place_names |= firm.field_places()
            place_names.update(firm.named_places())
            if code:
                self.by_code[code] = pk
            if city:
                self.in_place[_place_key(city)].append(pk)
            if province:
                self.in_province[_place_key(province)].append(pk)
        # The registry's own places, so 南安 in a name written without 市 is known as a place.
        self.places = firms.Places(place_names)

    def _members(self, scope: str) -> Iterable[int]:
        if scope == ANYWHERE:
            return self.firms
        if scope.startswith("p:"):
            return self.in_province.get(scope[2:], ())
        return self.in_place.get(scope, ())

    def same_brand(self, firm: firms.Firm, scope: str) -> list[int]:
        """Facilities of the scope whose brand is written like the firm's, or reads like it
        (Latin and pinyin); compare tells which of them agree."""
        index = self._brands.get(scope)
        if index is None:
            index = self._brands[scope] = defaultdict(list)
            for pk in self._members(scope):
                for key in firms.brand_keys(self.firms[pk], self.places):
                    index[key].append(pk)
        keys = firms.brand_keys(firm, self.places)
        return list(dict.fromkeys(pk for key in sorted(keys) for pk in index.get(key, ())))

    def facility_words(self, pk: int) -> Iterable[str]:
        """The words of each of a facility's names: as kept with it, or worked out for a
        facility saved without them."""
        kept = self._kept_words.get(pk)
        return kept if kept is not None else [firms.words(name) for name in self.firms[pk].names()]

    def resembling(self, names: Iterable[str], numbers: frozenset[str], scope: str) -> list[int]:
        """Facilities of the scope sharing a distinctive word with one of the names, but for
        those numbered differently."""
        if scope == ANYWHERE:
            return []  # near misses are looked for nearby only
        if scope not in self._scopes:
            self._scopes[scope] = _Scope(
                [
                    (pk, words, self.numbers(pk))
                    for pk in self._members(scope)
                    for words in self.facility_words(pk)
                    if words
                ]
            )
        found = self._scopes[scope]
        if not found.choices:
            return []  # and no pinyin computed for nothing to compare it with
        return list(
            dict.fromkeys(
                found.choices[position][0]
                for name in names
                for position in sorted(found.sharing(firms.words(name), numbers))
            )
        )

    def numbers(self, pk: int) -> frozenset[str]:
        found = self._numbers.get(pk)
        if found is None:
            found = self._numbers[pk] = firms.numbers(self.firms[pk])
        return found

    @functools.cache  # noqa: B019 - the registry lives for one import
    def label(self, pk: int) -> str:
        firm = self.firms[pk]
        # Stored with the job and read later by anyone: in one order, not this reader's.
        with translation.override("zh-hans"):
            return str(Facility(pk=pk, name_zh=firm.name_zh, name_en=firm.name_en))


def match(
    organisation: Organisation, rows: list[Row], progress: Progress | None = None
) -> Matching:
    """Which registry facility each facility row is (see Matcher)."""
    if not rows:
        return Matching()
    return Matcher(organisation).match(rows, progress or Progress())


class Matcher:
    """Which registry facility each facility row is, in this order: the buyer's reference for
    it, the same credit code, then the facilities nearby whose name resembles the row's,
    compared by firms.compare. A facility whose brand words agree with the row's and that
    nothing contradicts is the row's when it is the only one; a remembered MatchDecision
    settles the rest, or they go to review. A facility whose brand words differ is never
    matched without asking. Rows matched to nothing are new facilities."""

    def __init__(self, organisation: Organisation) -> None:
        self.registry = _Registry()
        # The firms.compare score from which a facility is shown as a candidate (a StoneBridge
        # default); whether one is taken without asking is firms.compare's to say.
        self.ask = defaults.value(Key.IMPORT_ASK_SCORE)
        self.refs = dict(
            FacilityRef.objects.filter(organisation=organisation).values_list("ref", "facility_id")
        )
        self.decisions: dict[str, dict[int, bool]] = defaultdict(dict)
        for key, candidate, is_same in (
            MatchDecision.objects.filter(organisation=organisation)
            .order_by("decided_at", "pk")
            .values_list("row_key", "candidate_id", "same")
        ):
            self.decisions[key][candidate] = is_same
        # Credit codes this file gives facilities that have none yet.
        self.claimed: dict[int, str] = {}
        self.result = Matching()

    def match(self, rows: list[Row], progress: Progress) -> Matching:
        for row in rows:
            self.match_row(row)
            progress.tick()
        return self.result

    def code_of(self, pk: int) -> str | None:
        return self.registry.firms[pk].credit_code or self.claimed.get(pk)

    def take(self, row: Row, pk: int, score: int = 100) -> None:
        self.result.matched[row.number] = pk
        self.result.candidates.setdefault(row.number, [(pk, score)])
        code = row.values.get("credit_code")
        if code and not self.code_of(pk):
            self.claimed[pk] = code

    def _compare(
        self, row_firm: firms.Firm, found: Iterable[int]
    ) -> list[tuple[int, firms.Comparison]]:
        compared = []
        registry = self.registry
        row_numbers = firms.numbers(row_firm)
        for pk in found:
            if row_numbers and (numbers := registry.numbers(pk)) and numbers != row_numbers:
                continue  # numbered differently: contradicted (firms.contradiction), so never asked
            # With the credit code this file may already have given the facility.
            facility = self.registry.firms[pk]
            code = self.code_of(pk) or ""
            if facility.credit_code != code:
                facility = dataclasses.replace(facility, credit_code=code)
            # A contradicted facility is never asked about: spared the weighing of brands.
            if firms.contradiction(row_firm, facility):
                continue
            comparison = firms.compare(row_firm, facility, self.registry.places)
            if comparison.score >= self.ask and not comparison.contradiction:
                compared.append((pk, comparison))
        return compared

    def compared(self, row_firm: firms.Firm, scope: str) -> list[tuple[int, firms.Comparison]]:
        """The facilities of the scope worth asking about, compared with the row, best first.

        Near misses (a name sharing a distinctive word) are looked for only when no facility
        of the same brand agrees: the pinyin they need is the slow part of an import."""
        registry = self.registry
        same_brand = registry.same_brand(row_firm, scope)
        compared = self._compare(row_firm, same_brand)
        if not any(comparison.matches for _pk, comparison in compared):
            seen = set(same_brand)
            resembling = registry.resembling(row_firm.names(), firms.numbers(row_firm), scope)
            compared += self._compare(row_firm, [pk for pk in resembling if pk not in seen])
        return sorted(compared, key=lambda item: (-item[1].score, item[0]))

    def match_row(self, row: Row) -> None:
        registry = self.registry
        values = row.values
        ref, code = values.get("ref", ""), values.get("credit_code", "")
        if ref and ref in self.refs:
            facility = self.refs[ref]
            conflict = _ref_conflict(registry, ref, facility, code, self.code_of(facility))
            if conflict:
                self.result.errors.append(error_at(row.number, "credit_code", conflict))
            else:
                self.take(row, facility)
            return
        if code and code in registry.by_code:
            self.take(row, registry.by_code[code])
            return
        name_zh, name_en = values.get("name_zh", ""), values.get("name_en", "")
        city, province = values.get("city", ""), values.get("province", "")
        row_firm = firms.Firm(
            name_zh=name_zh,
            name_en=name_en,
            credit_code=code,
            province=province,
            city=city,
            district=values.get("district", ""),
        )
        scope = (
            _place_key(city) if city else ("p:" + _place_key(province) if province else ANYWHERE)
        )
        key = row_key(name_zh, name_en, city)
        decided = self.decisions.get(key, {})
        compared = [(pk, c) for pk, c in self.compared(row_firm, scope) if pk not in decided]
        self.result.candidates[row.number] = [(pk, c.score) for pk, c in compared]
        confirmed = [pk for pk, is_same in decided.items() if is_same and pk in registry.firms]
        if confirmed:
            self.take(row, confirmed[-1])
            return
        agreeing = [pk for pk, comparison in compared if comparison.matches]
        if len(agreeing) > 1:
            # Firms sharing a brand in different places (示例 in 南安 and in 五莲) with a row
            # that names no place: the one of exactly the same name, if there is one.
            agreeing = [pk for pk in agreeing if _same_name(row_firm, registry.firms[pk])]
        if len(agreeing) == 1:
            self.take(row, agreeing[0])
            return
        if compared:
            self.result.review.append(
                {
                    "row": row.number,
                    "row_key": key,
                    "name": name_zh or name_en,
                    "city": city,
                    "candidates": [
                        self._candidate(pk, comparison) for pk, comparison in compared[:CANDIDATES]
                    ],
                }
            )

    def _candidate(self, pk: int, comparison: firms.Comparison) -> dict[str, Any]:
        city, address, workers = self.registry.details[pk]
        return {
            "id": pk,
            "name": self.registry.label(pk),
            "city": city,
            "credit_code": self.code_of(pk) or "",
            "address": address,
            "workers": workers,
            "score": comparison.score,
            # Whether the distinctive words of the names agree: if not, "a new facility" is
            # the likelier answer.
            "same_brand": comparison.brand_agrees,
        }


def _name_keys(firm: firms.Firm) -> set[str]:
    return {query_key(firms.simplified(name)) for name in firm.names()}


def _same_name(a: firms.Firm, b: firms.Firm) -> bool:
    return bool(_name_keys(a) & _name_keys(b))


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
