"""The kept counts of a buyer's scores (ScoreSummary): written whole by a full recompute, moved
row by row by a facility's recompute, and read by the heatmap and the register's counts.

A cell is (issue, tier, province, city, priority to one decimal): enough for the heatmap by tier
or by cluster, its highest priority and its number of scores, without reading the scores."""

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import F, Max, Sum

from stonebridge.supplychain.models import Facility

from .models import Score, ScoreSummary

Cell = tuple[str, int, str, str, float]
Place = tuple[str, str]
# Above this many cells a change is written by reading the buyer's cells once, not cell by cell.
ONE_BY_ONE = 40


def places_between(first: int, last: int) -> dict[int, Place]:
    rows = Facility.objects.filter(pk__gte=first, pk__lte=last)
    return {pk: (p, c) for pk, p, c in rows.values_list("pk", "province", "city")}


def places(facility_ids: Iterable[int]) -> dict[int, Place]:
    ids = list(set(facility_ids))
    found: dict[int, Place] = {}
    for start in range(0, len(ids), 5000):
        rows = Facility.objects.filter(pk__in=ids[start : start + 5000])
        found.update((pk, (p, c)) for pk, p, c in rows.values_list("pk", "province", "city"))
    return found


def cell(issue: str, tier: int, place: Place, priority: float) -> Cell:
    return (issue, tier, place[0], place[1], round(priority, 1))


def count_rows(rows: Sequence[Sequence[Any]], where: dict[int, Place]) -> Counter[Cell]:
    """Rows in persistence.COLUMNS order: facility 1, issue 2, tier 3, priority 6."""
    none = ("", "")
    return Counter((r[2], r[3], *where.get(r[1], none), round(r[6], 1)) for r in rows)


def replace(organisation_id: int, counts: Counter[Cell]) -> None:
    """The buyer's cells become exactly these counts."""
    mine = ScoreSummary.objects.filter(organisation_id=organisation_id)
    mine._raw_delete(mine.db)
    ScoreSummary.objects.bulk_create(
        [
            ScoreSummary(
                organisation_id=organisation_id,
                issue_id=issue,
                tier=tier,
                province=province,
                city=city,
                level=level,
                n=n,
            )
            for (issue, tier, province, city, level), n in counts.items()
            if n > 0
        ],
        batch_size=2000,
    )


def change(organisation_id: int, deltas: Counter[Cell]) -> None:
    """Move counts between cells: +1 for a score written, -1 for one removed."""
    deltas = Counter({k: v for k, v in deltas.items() if v})
    if not deltas:
        return
    mine = ScoreSummary.objects.filter(organisation_id=organisation_id)
    if len(deltas) > ONE_BY_ONE:
        stored = {(s.issue_id, s.tier, s.province, s.city, s.level): s for s in mine}
        counts = Counter({k: s.n for k, s in stored.items()})
        counts.update(deltas)
        replace(organisation_id, counts)
        return
    for (issue, tier, province, city, level), delta in deltas.items():
        key = {"issue_id": issue, "tier": tier, "province": province, "city": city, "level": level}
        if not mine.filter(**key).update(n=F("n") + delta) and delta > 0:
            ScoreSummary.objects.create(organisation_id=organisation_id, n=delta, **key)
    if any(delta < 0 for delta in deltas.values()):
        empty = mine.filter(n=0)
        empty._raw_delete(empty.db)  # derived counts: nothing refers to them


def forget(scores: Any) -> None:
    """Take these scores out of the counts, before they are deleted other than by a recompute."""
    rows = list(
        scores.values_list("organisation_id", "facility_id", "issue_id", "tier", "priority")
    )
    where = places(r[1] for r in rows)
    by_buyer: dict[int, Counter[Cell]] = {}
    for organisation_id, facility_id, issue, tier, priority in rows:
        key = cell(issue, tier, where.get(facility_id, ("", "")), priority)
        by_buyer.setdefault(organisation_id, Counter())[key] -= 1
    for organisation_id, deltas in by_buyer.items():
        change(organisation_id, deltas)


def recount(organisation_id: int) -> dict[Cell, int]:
    """The cells counted from the scores themselves: what the kept counts must equal."""
    rows = (
        Score.objects.filter(organisation_id=organisation_id)
        .values_list("facility_id", "issue_id", "tier", "priority")
        .order_by()
    )
    listed = list(rows)
    where = places(r[0] for r in listed)
    return dict(
        Counter(cell(issue, tier, where[f], priority) for f, issue, tier, priority in listed)
    )


def kept(organisation_id: int) -> dict[Cell, int]:
    return {
        (s.issue_id, s.tier, s.province, s.city, s.level): s.n
        for s in ScoreSummary.objects.filter(organisation_id=organisation_id, n__gt=0)
    }


def cells(organisation_id: int, rows: str) -> list[dict[str, Any]]:
    """Highest priority and number of scores per issue and tier, or issue and cluster."""
    mine = ScoreSummary.objects.filter(organisation_id=organisation_id, n__gt=0)
    grouped = (
        mine.values("issue_id", p=F("province"), c=F("city"))
        if rows == "cluster"
        else mine.values("issue_id", "tier")
    )
    return list(grouped.annotate(top=Max("level"), n=Sum("n")).order_by())


def total(organisation_id: int, *, issue: str | None = None, tier: int | None = None) -> int:
    """How many scores the buyer has, of one issue or tier if given, from the kept counts."""
    mine = ScoreSummary.objects.filter(organisation_id=organisation_id)
    if issue is not None:
        mine = mine.filter(issue_id=issue)
    if tier is not None:
        mine = mine.filter(tier=tier)
    return mine.aggregate(n=Sum("n"))["n"] or 0
