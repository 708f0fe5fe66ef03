"""Reading the database into the plain inputs that `scoring` takes."""

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from stonebridge.supplychain.models import Facility, Link, unpack_codes
from stonebridge.supplychain.names import pinyin_of

from . import scoring
from .models import WORKFORCE_FIELDS, Baseline, Evidence, Indicator, Issue, WorkforceStatement

# Activities whose dust makes silicosis the first risk (DOMAIN.md: dry cutting, flaming,
# bush-hammering and polishing; carving in Hui'an and Yunfu).
DUSTY = frozenset({"polishing", "flaming", "bush_hammering", "carving"})
# What the shared registry says of a facility; who works there comes from the buyer's own
# workforce statements (`workforce_by_facility`), never from the registry.
FACILITY_FIELDS = ("pk", "kind", "country", "province", "activities")
UNKNOWN_WORKFORCE = (None, None, None, None)


def workforce_by_facility(
    organisation_id: int, facility_id: int | None = None
) -> dict[int, tuple[Any, ...]]:
    """The figures that count for one buyer, by facility: its newest statement, whether the
    buyer recorded it or its supplier disclosed it to the buyer."""
    statements = WorkforceStatement.objects.filter(organisation_id=organisation_id)
    if facility_id is not None:
        statements = statements.filter(facility_id=facility_id)
    counting: dict[int, tuple[Any, ...]] = {}
    # Oldest first: the newest of each facility is written last.
    for facility, *figures in statements.order_by("facility_id", "stated_at", "pk").values_list(
        "facility_id", *WORKFORCE_FIELDS
    ):
        counting[facility] = tuple(figures)
    return counting


_SUFFIXES_ZH = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")
_SUFFIXES_EN = (
    "uyghurautonomousregion",
    "uygurautonomousregion",
    "autonomousregion",
    "province",
    "sheng",
)


@lru_cache(maxsize=4096)
def province_key(name: str) -> str:
    """One spelling for a province, so a facility entered as "Fujian" or "福建" finds the
    baseline written for 福建省: the name without its suffix, in toneless pinyin."""
    name = name.strip()
    for suffix in _SUFFIXES_ZH:
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    key = re.sub(r"[^a-z]", "", pinyin_of(name).lower())
    for suffix in _SUFFIXES_EN:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


def taxonomy() -> scoring.Taxonomy:
    indicators: dict[str, list[scoring.IndicatorSpec]] = defaultdict(list)
    for i in Indicator.objects.all():
        contexts = frozenset(c for c in i.contexts.split(",") if c)
        indicators[i.issue_id].append(
            scoring.IndicatorSpec(i.code, i.issue_id, i.scale, i.irremediability, contexts)
        )
    issues = [
        scoring.IssueSpec(i.code, i.scale, i.irremediability, tuple(indicators[i.code]))
        for i in Issue.objects.all()
    ]
    rows = [
        scoring.BaselineRow(pk, issue, country, province_key(province), context, level)
        for pk, issue, country, province, context, level in Baseline.objects.values_list(
            "pk", "issue_id", "country", "province", "context", "level"
        )
    ]
    return scoring.Taxonomy(issues, rows)


def contexts_of(kind: str, activities: str, gaps: Iterable[scoring.Gap]) -> frozenset[str]:
    return _contexts(kind, activities, any(g.kind == "origin" for g in gaps))


@lru_cache(maxsize=1024)
def _contexts(kind: str, activities: str, unknown_origin: bool) -> frozenset[str]:
    codes = set(unpack_codes(activities))
    out = set()
    if "quarrying" in codes or kind == Facility.Kind.QUARRY:
        out.add(scoring.QUARRYING)
    if "sawing" in codes:
        out.add(scoring.SAWING)
    if codes & DUSTY:
        out.add(scoring.DRY_FINISHING)
    if kind == Facility.Kind.WORKSHOP:
        out.add(scoring.WORKSHOP)
    if "block_trading" in codes or kind in (Facility.Kind.BLOCK_IMPORTER, Facility.Kind.TRADER):
        out.add(scoring.BLOCK_TRADING)
    if unknown_origin:
        out.add(scoring.UNKNOWN_ORIGIN)
    return frozenset(out)


def as_float(value: Any) -> float | None:
    return None if value is None else float(value)


def build(
    row: tuple[Any, ...],
    gaps: tuple[scoring.Gap, ...],
    evidence: tuple[scoring.Evidence, ...],
) -> scoring.FacilityFacts:
    """Facts from a row of FACILITY_FIELDS followed by the counting WORKFORCE_FIELDS, the
    facility's known gaps and its evidence."""
    _pk, kind, country, province, activities, workers, migrant, dispatched, interns = row
    return scoring.FacilityFacts(
        country=str(country),
        province=province_key(province or ""),
        contexts=contexts_of(str(kind), str(activities), gaps),
        workers=workers,
        migrant_share=as_float(migrant),
        dispatched_share=as_float(dispatched),
        intern_share=as_float(interns),
        gaps=gaps,
        evidence=evidence,
    )


def gap_of(kind: str, origin_country: str) -> scoring.Gap:
    return scoring.Gap(
        "subcontractor" if kind == Link.Kind.SUBCONTRACTS else "origin", origin_country
    )


EVIDENCE_FIELDS = (
    "facility_id",
    "pk",
    "issue_id",
    "kind",
    "observed_on",
    "confidence",
    "indicator__code",
    "people_affected",
    "improved",
)


def evidence_by_facility(
    evidence: Iterable[tuple[Any, ...]],
) -> dict[int, tuple[scoring.Evidence, ...]]:
    """Rows of EVIDENCE_FIELDS, grouped by facility."""
    grouped: dict[int, list[scoring.Evidence]] = defaultdict(list)
    for (
        facility_id,
        pk,
        issue,
        kind,
        observed_on,
        confidence,
        indicator,
        people,
        improved,
    ) in evidence:
        grouped[facility_id].append(
            scoring.Evidence(
                pk, issue, kind, observed_on, confidence, indicator or "", people, improved
            )
        )
    return {f: tuple(rows) for f, rows in grouped.items()}


def for_facility(organisation_id: int, facility_id: int) -> scoring.FacilityFacts:
    """One facility as one buyer knows it: for the explanation pages and incremental updates."""
    row = Facility.objects.filter(pk=facility_id).values_list(*FACILITY_FIELDS).get()
    row = (
        *row,
        *workforce_by_facility(organisation_id, facility_id).get(facility_id, UNKNOWN_WORKFORCE),
    )
    gaps = tuple(
        gap_of(kind, origin)
        for kind, origin in Link.objects.filter(
            organisation_id=organisation_id, customer_id=facility_id, supplier__isnull=True
        )
        .order_by("pk")
        .values_list("kind", "origin_country")
    )
    evidence = evidence_by_facility(
        Evidence.objects.counting()
        .filter(organisation_id=organisation_id, facility_id=facility_id)
        .values_list(*EVIDENCE_FIELDS)
    )
    return build(row, gaps, evidence.get(facility_id, ()))
