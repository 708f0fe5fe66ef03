"""Which facility of the shared registry each row of a facilities list is."""

import functools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from stonebridge.accounts.models import Organisation

from ..models import Facility, FacilityRef, MatchDecision

# The words `name_similarity` compares, computed here once per name rather than once per pair.
from ..names import _comparable_words, pinyin_of, query_key
from .validation import Row
from .values import Error, error_at

SIMILAR = 85  # name_similarity from which a registry facility may be the row's
CANDIDATES = 3  # uncertain candidates shown per row


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
    """Which registry facility each facility row is (see Matcher)."""
    if not rows:
        return Matching()
    return Matcher(organisation).match(rows)


class Matcher:
    """Which registry facility each facility row is, in this order: the buyer's reference for
    it, the same credit code, the same name in the same city. Rows with only similar names
    nearby are uncertain: a remembered MatchDecision settles them, or they go to review. Rows
    matched to nothing are new facilities."""

    def __init__(self, organisation: Organisation) -> None:
        self.registry = _Registry()
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

    def match(self, rows: list[Row]) -> Matching:
        for row in rows:
            self.match_row(row)
        return self.result

    def code_of(self, pk: int) -> str | None:
        return self.registry.code_of.get(pk) or self.claimed.get(pk)

    def compatible(self, pk: int, code: str) -> bool:
        # A facility with another credit code is another company, whatever its name.
        return not code or self.code_of(pk) in (None, "", code)

    def take(self, row: Row, pk: int) -> None:
        self.result.matched[row.number] = pk
        code = row.values.get("credit_code")
        if code and not self.code_of(pk):
            self.claimed[pk] = code

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
        city = values.get("city", "")
        place = _place_key(city) if city else ""
        same = [
            pk
            for pk in registry.same_name(name_zh, name_en, place or ANYWHERE)
            if self.compatible(pk, code)
        ]
        # In a city, the same name is the same company; without a city only if the name is
        # unique in the whole registry.
        if same and (place or len(same) == 1):
            self.take(row, same[0])
            return
        key = row_key(name_zh, name_en, city)
        decided = self.decisions.get(key, {})
        confirmed = [pk for pk, is_same in decided.items() if is_same and pk in registry.names]
        if confirmed:
            self.take(row, confirmed[-1])
            return
        if same:
            candidates = [(pk, 100.0) for pk in same]
        else:
            province = values.get("province", "")
            candidates = registry.similar(
                [n for n in (name_zh, name_en) if n],
                place,
                _place_key(province) if province else "",
            )
        candidates = [
            (pk, s) for pk, s in candidates if pk not in decided and self.compatible(pk, code)
        ]
        if candidates:
            self.result.review.append(
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
