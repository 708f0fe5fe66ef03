"""Storing scores: a buyer's whole chain at once, or one facility after new evidence.

Scores are derived rows, written in bulk (COPY on PostgreSQL) because a large chain has close to
a million of them. The scoring itself is the pure `scoring.score_facility`; facilities with the
same facts get the same scores, so each distinct set of facts is scored once per run.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import connection
from django.utils import timezone

from stonebridge.accounts.models import Organisation
from stonebridge.supplychain import chain
from stonebridge.supplychain.models import ChainPosition, Facility, Sourcing
from stonebridge.supplychain.services import chain_edges

from . import facts, scoring
from .models import Evidence, Score

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
    "exposure",
    "computed_at",
)
Row = tuple[Any, ...]


def _rows(
    organisation_id: int,
    facility_id: int,
    tier: int,
    scores: Sequence[scoring.IssueScore],
    via: int | None,
    share: float,
    path: str,
    now: Any,
) -> list[Row]:
    return [
        (
            organisation_id,
            facility_id,
            s.issue,
            tier,
            s.severity.value,
            s.likelihood,
            s.priority,
            s.severity.irremediable,
            via,
            share,
            path,
            s.priority * share,
            now,
        )
        for s in scores
    ]


def score_chain(organisation: Organisation, taxonomy: scoring.Taxonomy, as_of: date) -> list[Row]:
    tier_of = dict(
        ChainPosition.objects.filter(organisation=organisation).values_list("facility_id", "tier")
    )
    if not tier_of:
        return []
    edges = chain_edges(organisation)
    direct = Sourcing.objects.filter(organisation=organisation).values_list(
        "facility_id", flat=True
    )
    paths = chain.heaviest_paths(direct, edges)
    gaps: dict[int, list[scoring.Gap]] = defaultdict(list)
    for edge in edges:
        if edge.supplier is None:
            gaps[edge.customer].append(facts.gap_of(edge.kind, edge.origin_country))
    evidence = facts.evidence_by_facility(
        Evidence.objects.counting()
        .filter(organisation=organisation)
        .values_list(*facts.EVIDENCE_FIELDS)
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    scored: dict[scoring.FacilityFacts, tuple[scoring.IssueScore, ...]] = {}
    rows: list[Row] = []
    facilities = (
        Facility.objects.filter(positions__organisation=organisation)
        .values_list(*facts.FACILITY_FIELDS)
        .iterator(chunk_size=5000)
    )
    for row in facilities:
        pk = row[0]
        known = facts.build(row, tuple(sorted(gaps.get(pk, ()))), evidence.get(pk, ()))
        scores = scored.get(known)
        if scores is None:
            scores = scored[known] = scoring.score_facility(known, taxonomy, as_of)
        path = paths.get(pk)
        via, share, trail = (
            (path.via, path.share, ",".join(map(str, chain.path_to_buyer(paths, pk))))
            if path
            else (None, 1.0, "")
        )
        rows.extend(_rows(organisation.pk, pk, tier_of[pk], scores, via, share, trail, now))
    return rows


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
    scores = scoring.score_facility(known, taxonomy, timezone.localdate())
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    return _rows(organisation_id, facility_id, place[0], scores, *place[1:], now)


def chains_holding(facility_id: int) -> list[int]:
    return list(
        ChainPosition.objects.filter(facility_id=facility_id).values_list(
            "organisation_id", flat=True
        )
    )


def replace_scores(
    organisation_id: int, rows: list[Row], *, facility_id: int | None = None
) -> None:
    """Swap the stored scores for new ones; call inside a transaction."""
    old = Score.objects.filter(organisation_id=organisation_id)
    if facility_id is not None:
        old = old.filter(facility_id=facility_id)
    old._raw_delete(old.db)  # derived rows: nothing cascades from them
    if not rows:
        return
    table = Score._meta.db_table
    names = ", ".join(COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(COLUMNS))
            # Table and column names are constants of this module, not input.
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, rows)
