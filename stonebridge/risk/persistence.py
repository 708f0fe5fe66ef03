"""Storing scores: a buyer's whole chain at once, or one facility after new evidence.

Scores are derived rows, written in bulk (COPY on PostgreSQL) because a large chain has close to
a million of them. The scoring itself is the pure `scoring.score_facility`; facilities with the
same facts get the same scores, so each distinct set of facts is scored once per run.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import F, QuerySet
from django.utils import timezone

from stonebridge.accounts.models import Organisation
from stonebridge.supplychain import chain
from stonebridge.supplychain.models import ChainPosition, Facility, Sourcing
from stonebridge.supplychain.queries import chain_rows

from . import facts, scoring, summary
from .models import Evidence, Score, ScoreState

COLUMNS = (
    "organisation_id",
    "facility_id",
    "issue_id",
    "tier",
    "severity",
    "likelihood",
    "priority",
    "irremediable",
    "via_id",
    "path_share",
    "path",
)
Row = tuple[Any, ...]
CHUNK = 20_000


Fragment = tuple[str, float, float, float, bool]


def _fragments(scores: Sequence[scoring.IssueScore]) -> list[Fragment]:
    """What each facility with these scores stores, worked out once per distinct set of facts."""
    return [
        (s.issue, s.severity.value, s.likelihood, s.priority, s.severity.irremediable)
        for s in scores
    ]


def _rows(
    organisation_id: int,
    facility_id: int,
    tier: int,
    fragments: list[Fragment],
    via: int | None,
    share: float,
    path: str,
) -> list[Row]:
    return [
        (
            organisation_id,
            facility_id,
            issue,
            tier,
            severity,
            likelihood,
            priority,
            irremediable,
            via,
            share,
            path,
        )
        for issue, severity, likelihood, priority, irremediable in fragments
    ]


def score_chain(
    organisation: Organisation, taxonomy: scoring.Taxonomy, as_of: date
) -> Iterator[list[Row]]:
    """The buyer's whole chain, in chunks of rows. Everything is read before the first chunk,
    so the chunks can be written while the next ones are scored."""
    tier_of = dict(
        ChainPosition.objects.filter(organisation=organisation).values_list("facility_id", "tier")
    )
    if not tier_of:
        return iter(())
    edges = chain_rows(organisation)
    direct = Sourcing.objects.filter(organisation=organisation).values_list(
        "facility_id", flat=True
    )
    paths = chain.heaviest_paths(direct, edges)
    gaps: dict[int, list[scoring.Gap]] = defaultdict(list)
    for supplier, customer, kind, _share, origin_country, _volume in edges:
        if supplier is None:
            gaps[customer].append(facts.gap_of(kind, origin_country))
    evidence = facts.evidence_by_facility(
        Evidence.objects.counting()
        .filter(organisation=organisation)
        .values_list(*facts.EVIDENCE_FIELDS)
    )
    workforce = facts.workforce_by_facility(organisation.pk)
    facilities = [
        (*row, *workforce.get(row[0], facts.UNKNOWN_WORKFORCE))
        for row in Facility.objects.filter(positions__organisation=organisation)
        .values_list(*facts.FACILITY_FIELDS)
        .order_by("pk")  # rows in the unique index's order: appends, not page splits
    ]

    trails = chain.path_strings(paths)

    def chunks() -> Iterator[list[Row]]:
        # Facilities with the same facts get the same scores: each set is scored once.
        scored: dict[tuple[Any, ...], list[Fragment]] = {}
        rows: list[Row] = []
        for row in facilities:
            pk = row[0]
            key = (row[1:], tuple(sorted(gaps.get(pk, ()))), evidence.get(pk, ()))
            fragments = scored.get(key)
            if fragments is None:
                known = facts.build(row, key[1], key[2])
                fragments = scored[key] = _fragments(scoring.score_facility(known, taxonomy, as_of))
            path = paths.get(pk)
            via, share = (path.via, path.share) if path else (None, 1.0)
            rows.extend(
                _rows(organisation.pk, pk, tier_of[pk], fragments, via, share, trails.get(pk, ""))
            )
            if len(rows) >= CHUNK:
                yield rows
                rows = []
        if rows:
            yield rows

    return chunks()


def score_one(
    organisation_id: int, facility_id: int, taxonomy: scoring.Taxonomy
) -> list[Row] | None:
    """The facility's scores for one buyer, keeping its place in the chain; None if the chain
    has not been scored with it yet."""
    place = (
        Score.objects.filter(organisation_id=organisation_id, facility_id=facility_id)
        .values_list("tier", "via_id", "path_share", "path")
        .first()
    )
    if place is None:
        return None
    known = facts.for_facility(organisation_id, facility_id)
    fragments = _fragments(scoring.score_facility(known, taxonomy, timezone.localdate()))
    return _rows(organisation_id, facility_id, place[0], fragments, *place[1:])


def chains_holding(facility_id: int) -> list[int]:
    return list(
        ChainPosition.objects.filter(facility_id=facility_id).values_list(
            "organisation_id", flat=True
        )
    )


def replace_scores(
    organisation_id: int, chunks: Iterable[list[Row]], *, facility_id: int | None = None
) -> int:
    """Bring the stored scores in line with new ones, chunk by chunk as they are scored: rows
    that did not change stay, changed ones are replaced, and the rows of facilities that left the
    chain go. Call inside a transaction. Returns the number of scores.

    The chunks come in facility order, each holding whole facilities, so each is compared with
    the stored rows of its own range of facilities. A nightly recompute that changes little
    writes little."""
    state, _ = ScoreState.objects.get_or_create(organisation_id=organisation_id)
    ScoreState.objects.filter(pk=state.pk).update(
        version=F("version") + 1, computed_at=timezone.now()
    )
    stored = Score.objects.filter(organisation_id=organisation_id)
    if facility_id is not None:
        stored = stored.filter(facility_id=facility_id)
    total = 0
    done_up_to = None  # the facilities up to this id are in line
    # The kept counts: counted afresh from every row of a full recompute; moved by the rows that
    # changed when one facility is recomputed.
    counts: Counter[summary.Cell] = Counter()
    for chunk in chunks:
        last = chunk[-1][1]
        part = stored.filter(facility_id__lte=last)
        if done_up_to is not None:
            part = part.filter(facility_id__gt=done_up_to)
        removed, written = _sync(part, chunk)
        if facility_id is None:
            counts.update(summary.count_rows(chunk, summary.places_between(chunk[0][1], last)))
        else:
            where = summary.places([facility_id])
            counts.subtract(summary.count_rows(removed, where))
            counts.update(summary.count_rows(written, where))
        total += len(chunk)
        done_up_to = last
    if done_up_to is None:
        if facility_id is not None:
            summary.forget(stored)
        stored._raw_delete(stored.db)  # derived rows: nothing cascades from them
    elif facility_id is None:
        rest = stored.filter(facility_id__gt=done_up_to)
        rest._raw_delete(rest.db)
    if facility_id is None:
        summary.replace(organisation_id, counts)
    else:
        summary.change(organisation_id, counts)
    return total


def _sync(stored: QuerySet[Score], rows: list[Row]) -> tuple[list[Row], list[Row]]:
    """Make the stored rows of a range of facilities equal to `rows`. Returns the rows removed
    and the rows written, in COLUMNS order."""
    old = {
        (facility, issue): (pk, tuple(values))
        for pk, facility, issue, *values in stored.values_list(
            "pk", "facility_id", "issue_id", *COLUMNS[3:]
        )
    }
    new: list[Row] = []
    gone: list[int] = []
    removed: list[Row] = []
    for row in rows:
        found = old.pop((row[1], row[2]), None)
        if found is None:
            new.append(row)
        elif found[1] != row[3:]:
            gone.append(found[0])
            removed.append((None, row[1], row[2], *found[1]))
            new.append(row)
    for (facility, issue), (pk, values) in old.items():
        gone.append(pk)
        removed.append((None, facility, issue, *values))
    for start in range(0, len(gone), 5000):
        batch = Score.objects.filter(pk__in=gone[start : start + 5000])
        batch._raw_delete(batch.db)
    if not new:
        return removed, new
    table, names = Score._meta.db_table, ", ".join(COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in new:
                    copy.write_row(row)
        else:
            # Table and column names are constants of this module, not input.
            marks = ", ".join(["%s"] * len(COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", new)  # noqa: S608
    return removed, new
