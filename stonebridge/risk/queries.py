"""Reading risk for pages and the API: the register, the heatmap, "why this score" and who
works at a facility."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from stonebridge.accounts.models import Organisation
from stonebridge.supplychain.models import Facility, Sourcing

from . import facts, scoring, summary
from .models import (
    Baseline,
    Evidence,
    Indicator,
    Issue,
    Score,
    ScoreQuerySet,
    ScoreState,
    WorkforceSource,
    WorkforceStatement,
)

KIND_LABELS: dict[str, Promise] = {
    "baseline": _("Baseline risk for this place and kind of work"),
    "default": _("No cited baseline for this country: medium (StoneBridge default)"),
    "finding": _("Assessment finding"),
    "grievance": _("Grievance"),
    "outcome": _("Measured outcome"),
    "remediation": _("Corrective action verified as done"),
    "gap_subcontractor": _("Undisclosed sub-contractor"),
    "gap_origin": _("Blocks of unknown quarry"),
    "gap_unknown_origin": _("Stone of unknown origin: may come from prison or state labour"),
    # xgettext:no-python-format
    "dispatched": _("Dispatched workers above the legal 10% share"),
    "interns": _("Student interns"),
    "migrants": _("Migrant workers"),
}
# Every order ends in the facility and the row's id, so it is total and a page can start after
# the last row of the one before (keyset pagination: no OFFSET, no count of what came before).
# Priority (alone or within one issue and tier) is served by Score's indexes at any depth; the
# other orders are sorted by the database from the buyer's scores: correct, slower on a large
# chain.
SORTS = {
    "priority": ("-priority", "facility_id", "id"),
    "exposure": ("-exposure", "-priority", "facility_id", "id"),
    "likelihood": ("-likelihood", "-priority", "facility_id", "id"),
    "severity": ("-severity", "-priority", "facility_id", "id"),
    "tier": ("tier", "-priority", "facility_id", "id"),
}
WHOLE = {"tier", "facility_id", "id"}
PER_PAGE = 50


@dataclass
class Window:
    """One page of the register: its rows, where the next one starts (None on the last), and
    how many risks there are when the kept counts can say (None otherwise)."""

    object_list: list[Score]
    next_after: str | None
    count: int | None
    querystring: str = ""


def _key(score: Score, sort: str) -> str:
    return ",".join(repr(getattr(score, name.lstrip("-"))) for name in SORTS[sort])


def _parse(after: str, sort: str) -> list[float | int] | None:
    parts = after.split(",")
    if len(parts) != len(SORTS[sort]):
        return None
    try:
        return [
            int(part) if name.lstrip("-") in WHOLE else float(part)
            for name, part in zip(SORTS[sort], parts, strict=True)
        ]
    except ValueError:
        return None


def after_key(scores: ScoreQuerySet, sort: str, after: str) -> ScoreQuerySet:
    """The rows that come after the row whose sort values are `after`, in the sort's order."""
    values = _parse(after, sort)
    if values is None:
        return scores
    fields = [(name.lstrip("-"), name.startswith("-")) for name in SORTS[sort]]
    later = Q()
    for i, (name, descending) in enumerate(fields):
        same = {f"{n}": v for (n, _d), v in zip(fields[:i], values[:i], strict=True)}
        later |= Q(**same, **{f"{name}__{'lt' if descending else 'gt'}": values[i]})
    # The first column's bound on its own lets the database start its range scan there.
    first, descending = fields[0]
    return scores.filter(Q(**{f"{first}__{'lte' if descending else 'gte'}": values[0]}), later)


def window(
    scores: ScoreQuerySet, sort: str, after: str | None, per_page: int | None = None
) -> tuple[list[Score], str | None]:
    """One page of `scores` (already ordered by SORTS[sort]) and the key of the next."""
    per_page = per_page or PER_PAGE
    if after:
        scores = after_key(scores, sort, after)
    rows = list(scores[: per_page + 1])
    if len(rows) > per_page:
        return rows[:per_page], _key(rows[per_page - 1], sort)
    return rows, None


def register(organisation: Organisation) -> ScoreQuerySet:
    """Every scored facility and issue of the buyer, with the buyer's leverage at the direct
    supplier each one reaches it through."""
    leverage = Sourcing.objects.filter(organisation=organisation, facility=OuterRef("via"))
    return (
        Score.objects.filter(organisation=organisation)
        .for_register()
        .annotate(leverage=Subquery(leverage.values("share_of_output")[:1]))
    )


# What the register's page and download show of each score's facilities and issue: a page reads
# fifty rows, and whole registry records (forty columns each) cost more to build than to fetch.
SHOWN = (
    "id",
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
    *(
        f"facility__{name}"
        for name in ("name_zh", "name_en", "kind", "country", "province", "city", "district")
    ),
    "via__name_zh",
    "via__name_en",
    "issue__order",
    "issue__name_en",
    "issue__name_zh",
)


def register_shown(organisation: Organisation) -> ScoreQuerySet:
    """The register with only the columns its page and download show."""
    return register(organisation).only(*SHOWN)


def upstream(organisation: Organisation, facility: Facility, limit: int = 20) -> list[Score]:
    """The risks further up the chain that reach the buyer through this direct supplier, the
    heaviest first: what the buyer can raise with the supplier it deals with."""
    return list(
        register(organisation)
        .filter(via=facility)
        .exclude(facility=facility)
        .order_by("-exposure", "-priority", "facility_id")[:limit]
    )


def heatmap(organisation: Organisation, rows: str) -> dict[str, Any]:
    """Highest priority per issue and tier (or cluster: province and city), for ECharts, from
    the kept counts. Cached until the buyer's scores next change."""
    state = ScoreState.objects.filter(organisation=organisation).first()
    key = f"risk-heatmap:{organisation.pk}:{rows}:{state.version if state else 0}:{get_language()}"
    found = cache.get(key)
    if found is None:
        found = _heatmap(organisation, rows)
        cache.set(key, found, 24 * 3600)
    return found


def _heatmap(organisation: Organisation, rows: str) -> dict[str, Any]:
    issues = list(Issue.objects.all())
    cells = summary.cells(organisation.pk, rows)

    def label(cell: dict[str, Any]) -> str:
        if rows == "cluster":
            return " ".join(x for x in (cell["p"], cell["c"]) if x) or "—"
        return str(cell["tier"])

    labels = sorted(
        {label(c) for c in cells}, key=lambda x: (len(x), x) if rows != "cluster" else x
    )
    columns = [i.code for i in issues]
    return {
        "issues": [i.name for i in issues],
        "codes": columns,
        "rows": labels,
        "cells": [
            [columns.index(c["issue_id"]), labels.index(label(c)), round(c["top"], 1), c["n"]]
            for c in cells
        ],
    }


@dataclass
class Line:
    label: Promise
    contribution: scoring.Contribution
    baseline: Baseline | None = None
    evidence: Evidence | None = None


@dataclass
class Explained:
    issue: Issue
    score: scoring.IssueScore
    lines: list[Line]
    scale: str
    scope: str
    irremediability: str
    stored: Score | None = None
    path: list[Facility] | None = None
    leverage: Decimal | None = None

    @property
    def total(self) -> float:
        return sum(line.contribution.points for line in self.lines)

    @property
    def stored_differs(self) -> bool:
        """The register shows the last recompute; evidence ages daily in between."""
        return self.stored is not None and abs(self.stored.priority - self.score.priority) >= 0.05


def _factor(factor: scoring.Factor, indicators: dict[str, Indicator]) -> str:
    indicator = indicators.get(factor.detail)
    texts = {
        "issue": _("usual for this issue (StoneBridge default)"),
        "context": _("presumed for this kind of work: %(name)s"),
        "indicator": _("found: %(name)s"),
        "workers": _("%(n)s workers"),
        "people": _("%(n)s people affected"),
        "unknown": _("number of workers unknown: medium (StoneBridge default)"),
    }
    return str(texts[factor.source]) % {
        "name": indicator.name if indicator else factor.detail,
        "n": factor.detail,
    }


def explain(
    organisation: Organisation, facility: Facility, issue: str | None = None
) -> list[Explained]:
    """Score the facility again from the same inputs as the stored score, with every
    contribution, its source and the path to the buyer."""
    known = facts.for_facility(organisation.pk, facility.pk)
    taxonomy = facts.taxonomy()
    scores = [
        s
        for s in scoring.score_facility(known, taxonomy, timezone.localdate())
        if issue is None or s.issue == issue
    ]
    issues = {i.code: i for i in Issue.objects.all()}
    indicators = {i.code: i for i in Indicator.objects.all()}
    ids = [c.baseline_id for s in scores for c in s.contributions if c.baseline_id]
    baselines = Baseline.objects.in_bulk(ids)
    evidence = Evidence.objects.filter(organisation=organisation).in_bulk(
        [c.evidence_id for s in scores for c in s.contributions if c.evidence_id]
    )
    stored = {
        s.issue_id: s for s in register(organisation).filter(facility=facility).select_related(None)
    }
    # The path is the facility's own, the same for every issue.
    trail = next((row.path_ids() for row in stored.values() if row.path), [])
    found = Facility.objects.in_bulk(trail) if trail else {}
    path = [found[pk] for pk in trail if pk in found] or None
    out = []
    for s in scores:
        row = stored.get(s.issue)
        out.append(
            Explained(
                issue=issues[s.issue],
                score=s,
                lines=[
                    Line(
                        KIND_LABELS[c.kind],
                        c,
                        baselines.get(c.baseline_id) if c.baseline_id else None,
                        evidence.get(c.evidence_id) if c.evidence_id else None,
                    )
                    for c in s.contributions
                ],
                scale=_factor(s.severity.scale, indicators),
                scope=_factor(s.severity.scope, indicators),
                irremediability=_factor(s.severity.irremediability, indicators),
                stored=row,
                path=path,
                leverage=getattr(row, "leverage", None),
            )
        )
    return out


def workforce_for(organisation: Organisation, facility: Facility) -> dict[str, Any]:
    """What a buyer's page shows of who works at a facility: the statement that counts for its
    scores, the supplier's newest disclosure beside it, and the history."""
    statements = list(
        WorkforceStatement.objects.filter(organisation=organisation, facility=facility)
        .select_related("disclosed_by", "recorded_by")
        .newest_first()
    )
    return {
        "counting": statements[0] if statements else None,
        "disclosed": next((s for s in statements if s.source == WorkforceSource.SUPPLIER), None),
        "history": statements,
    }
