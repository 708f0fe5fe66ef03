"""How severe and how likely harm to workers is at one facility, for each salient issue, and why.

A pure function of its inputs (DESIGN.md, rule 4): no database, no clock, no settings. Severity
follows UNGP 14 and 24: scale (how grave), scope (how many people) and irremediability (whether
the harm can be put right), each 1-5. Likelihood (0-1) starts at the cited baseline for the
facility's country, province and kind of work, and rises with each piece of evidence. Priority is
100 * severity * likelihood; every contribution is given in priority points, and they add up to
the priority exactly.

Every weight below is a StoneBridge default, chosen by the team and documented here and in the
README; none comes from a source. The baseline levels they start from are cited in the data.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

# Kinds of work that change a facility's inherent risk; the baseline data is keyed by them.
QUARRYING = "quarrying"
SAWING = "sawing"
DRY_FINISHING = "dry_finishing"
WORKSHOP = "workshop"
BLOCK_TRADING = "block_trading"
UNKNOWN_ORIGIN = "unknown_origin"
CONTEXTS = (QUARRYING, SAWING, DRY_FINISHING, WORKSHOP, BLOCK_TRADING, UNKNOWN_ORIGIN)

# Baseline level (1 low … 5 very high) to likelihood. StoneBridge default: even the worst
# context starts at "as likely as not", so what is found at a facility weighs more than where it is.
LEVEL_LIKELIHOOD = {1: 0.05, 2: 0.10, 3: 0.20, 4: 0.35, 5: 0.50}
# Where no cited baseline covers the country: assume medium rather than none. StoneBridge default.
DEFAULT_LEVEL = 3
# How strongly one piece of evidence raises likelihood, by the recorder's confidence.
CONFIDENCE_WEIGHT = {"low": 0.25, "medium": 0.5, "high": 0.8}
# Evidence loses half its weight every two years: conditions change, and old audits say less.
HALF_LIFE_DAYS = 730
# A verified corrective action removes this share of the weight of the findings it answers; a
# measured improvement in an outcome, this share. Neither goes below the baseline.
REMEDIATION_REDUCTION = 0.6
OUTCOME_REDUCTION = 0.3
# Gaps in the map: each undisclosed sub-contracting step or unknown quarry.
GAP_WEIGHT = 0.3
# Blocks of unknown quarry from a known country carry part of that country's baseline.
ORIGIN_SHARE = 0.5
# Stone of wholly unknown origin may come from prison or state-imposed labour (DOMAIN.md).
UNKNOWN_ORIGIN_FORCED_LABOUR = 0.1
# Legal caps on dispatched workers and student interns (10 % of staff); cited in the README.
LEGAL_CAP = 0.10
OVER_CAP_WEIGHT = 0.4
ANY_INTERNS_WEIGHT = 0.1
# A high migrant share goes with missing social insurance and long hours (baseline sources).
MIGRANT_SOCIAL_SECURITY = 0.3
MIGRANT_HOURS = 0.2
# Workers exposed → scope 1-5; unknown workforce counts as medium.
SCOPE_STEPS = (10, 50, 250, 1000)
UNKNOWN_SCOPE = 3


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    code: str
    issue: str
    scale: int
    irremediability: int
    # Kinds of work where this harm is presumed possible before any finding.
    contexts: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class IssueSpec:
    code: str
    scale: int
    irremediability: int
    indicators: tuple[IndicatorSpec, ...] = ()


@dataclass(frozen=True, slots=True)
class BaselineRow:
    id: int
    issue: str
    country: str  # "" applies to every country
    province: str  # "" applies to the whole country
    context: str  # "" applies to every kind of work
    level: int


@dataclass(frozen=True, slots=True)
class Evidence:
    id: int
    issue: str
    kind: str  # finding, grievance, outcome, remediation
    observed_on: date
    confidence: str = "medium"
    indicator: str = ""
    people_affected: int | None = None
    improved: bool | None = None  # outcomes only


@dataclass(frozen=True, slots=True, order=True)
class Gap:
    kind: str  # "subcontractor" or "origin"
    origin_country: str = ""


@dataclass(frozen=True, slots=True)
class FacilityFacts:
    country: str
    province: str = ""
    contexts: frozenset[str] = frozenset()
    workers: int | None = None
    migrant_share: float | None = None
    dispatched_share: float | None = None
    intern_share: float | None = None
    gaps: tuple[Gap, ...] = ()
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Factor:
    """One severity dimension and where its value came from."""

    value: int
    source: str  # "issue", "indicator", "context", "workers", "people", "unknown"
    detail: str = ""  # the indicator code, or the number of people


@dataclass(frozen=True, slots=True)
class Severity:
    scale: Factor
    scope: Factor
    irremediability: Factor

    @property
    def irremediable(self) -> bool:
        return self.irremediability.value >= 5

    @property
    def value(self) -> float:
        """0.1-1. Irremediable harm sits above every remediable one, whatever its scale or scope:
        a delayed response cannot be put right (UNGP 24)."""
        if self.irremediable:
            return 0.6 + 0.4 * (self.scale.value + self.scope.value - 2) / 8
        total = self.scale.value + self.scope.value + self.irremediability.value
        return 0.1 + 0.45 * (total - 3) / 11


@dataclass(frozen=True, slots=True)
class Contribution:
    kind: str  # baseline, default, finding, grievance, outcome, remediation, gap_subcontractor,
    # gap_origin, gap_unknown_origin, dispatched, interns, migrants
    # Left at 0 by what raises likelihood, and set by score_issue, which knows the order.
    points: float = 0.0
    likelihood: float = 0.0
    evidence_id: int | None = None
    baseline_id: int | None = None
    note: str = ""  # a country code or a share, for the explanation


@dataclass(frozen=True, slots=True)
class IssueScore:
    issue: str
    severity: Severity
    likelihood: float
    priority: float
    contributions: tuple[Contribution, ...] = ()


class Taxonomy:
    """The issues, their indicators and the baseline rows, indexed once for many facilities."""

    def __init__(self, issues: Iterable[IssueSpec], baseline: Iterable[BaselineRow]) -> None:
        self.issues = tuple(issues)
        self.baseline = tuple(baseline)
        by_issue: dict[str, list[BaselineRow]] = {}
        for row in self.baseline:
            by_issue.setdefault(row.issue, []).append(row)
        self._by_issue = {code: tuple(rows) for code, rows in by_issue.items()}
        self._indicators = {i.code: i for spec in self.issues for i in spec.indicators}

    def baseline_for(self, issue: str) -> tuple[BaselineRow, ...]:
        return self._by_issue.get(issue, ())

    def indicator(self, code: str) -> IndicatorSpec | None:
        return self._indicators.get(code)


def decay(observed_on: date, as_of: date) -> float:
    age = max(0, (as_of - observed_on).days)
    return 0.5 ** (age / HALF_LIFE_DAYS)


def scope_of(people: int) -> int:
    return 1 + sum(people >= step for step in SCOPE_STEPS)


def baseline(
    taxonomy: Taxonomy, issue: str, country: str, province: str, contexts: Iterable[str]
) -> BaselineRow | None:
    """The highest cited level that applies; of equal levels, the most specific row, then the
    first."""
    wanted = {"", *contexts}
    best: BaselineRow | None = None
    best_key: tuple[int, int, int] | None = None
    for row in taxonomy.baseline_for(issue):
        if row.country not in ("", country) or row.province not in ("", province):
            continue
        if row.context not in wanted:
            continue
        key = (row.level, bool(row.province) + bool(row.context) + bool(row.country), -row.id)
        if best_key is None or key > best_key:
            best, best_key = row, key
    return best


def _severity(
    spec: IssueSpec, taxonomy: Taxonomy, facts: FacilityFacts, adverse: list[Evidence]
) -> Severity:
    scale = Factor(spec.scale, "issue")
    irremediability = Factor(spec.irremediability, "issue")
    presumed = [i for i in spec.indicators if i.contexts & facts.contexts]
    found = [taxonomy.indicator(e.indicator) for e in adverse if e.indicator]
    for source, indicators in (("context", presumed), ("indicator", found)):
        for indicator in indicators:
            if indicator is None or indicator.issue != spec.code:
                continue
            if indicator.scale > scale.value:
                scale = Factor(indicator.scale, source, indicator.code)
            if indicator.irremediability > irremediability.value:
                irremediability = Factor(indicator.irremediability, source, indicator.code)
    if facts.workers is None:
        scope = Factor(UNKNOWN_SCOPE, "unknown")
    else:
        scope = Factor(scope_of(facts.workers), "workers", str(facts.workers))
    for e in adverse:
        if e.people_affected is not None and scope_of(e.people_affected) > scope.value:
            scope = Factor(scope_of(e.people_affected), "people", str(e.people_affected))
    return Severity(scale, scope, irremediability)


def _answers(remedy: Evidence, finding: Evidence) -> bool:
    """A corrective action answers the adverse evidence of its issue (score_issue passes no
    other), and of its indicator if it names one, made up to the day it was verified; a later
    finding is a new problem."""
    return finding.observed_on <= remedy.observed_on and (
        not remedy.indicator or remedy.indicator == finding.indicator
    )


def _noisy_or(start: float, weights: Iterable[float]) -> float:
    likelihood = start
    for weight in weights:
        likelihood += (1 - likelihood) * weight
    return likelihood


def _raising(
    issue: str, taxonomy: Taxonomy, facts: FacilityFacts, as_of: date, adverse: list[Evidence]
) -> list[tuple[Contribution, float, Evidence | None]]:
    """Everything that raises likelihood, each with its weight (before remediation)."""
    out: list[tuple[Contribution, float, Evidence | None]] = []
    for e in adverse:
        weight = CONFIDENCE_WEIGHT.get(e.confidence, CONFIDENCE_WEIGHT["medium"])
        out.append(
            (Contribution(e.kind, evidence_id=e.id), weight * decay(e.observed_on, as_of), e)
        )
    for gap in facts.gaps:
        if gap.kind == "subcontractor":
            if issue == "TRANSPARENCY":
                out.append((Contribution("gap_subcontractor"), GAP_WEIGHT, None))
            continue
        if issue == "TRANSPARENCY":
            out.append((Contribution("gap_origin", note=gap.origin_country), GAP_WEIGHT, None))
        elif gap.origin_country and gap.origin_country != facts.country:
            row = baseline(taxonomy, issue, gap.origin_country, "", (QUARRYING,))
            level = row.level if row else DEFAULT_LEVEL
            out.append(
                (
                    Contribution(
                        "gap_origin", baseline_id=row.id if row else None, note=gap.origin_country
                    ),
                    ORIGIN_SHARE * LEVEL_LIKELIHOOD[level],
                    None,
                )
            )
        elif not gap.origin_country and issue == "FORCED_LABOUR":
            out.append((Contribution("gap_unknown_origin"), UNKNOWN_ORIGIN_FORCED_LABOUR, None))
    if issue == "CONTRACTS" and (facts.dispatched_share or 0) > LEGAL_CAP:
        note = f"{facts.dispatched_share:.0%}"
        out.append((Contribution("dispatched", note=note), OVER_CAP_WEIGHT, None))
    if issue == "YOUTH" and facts.intern_share:
        weight = OVER_CAP_WEIGHT if facts.intern_share > LEGAL_CAP else ANY_INTERNS_WEIGHT
        out.append((Contribution("interns", note=f"{facts.intern_share:.0%}"), weight, None))
    migrant_weight = {"SOCIAL_SECURITY": MIGRANT_SOCIAL_SECURITY, "HOURS_WAGES": MIGRANT_HOURS}
    if facts.migrant_share and issue in migrant_weight:
        weight = migrant_weight[issue] * facts.migrant_share
        out.append((Contribution("migrants", note=f"{facts.migrant_share:.0%}"), weight, None))
    return out


def score_issue(
    spec: IssueSpec, taxonomy: Taxonomy, facts: FacilityFacts, as_of: date
) -> IssueScore:
    mine = [e for e in facts.evidence if e.issue == spec.code]
    mine.sort(key=lambda e: (e.observed_on, e.id))
    adverse = [
        e
        for e in mine
        if e.kind in ("finding", "grievance") or (e.kind == "outcome" and not e.improved)
    ]
    remedies = [e for e in mine if e.kind == "remediation" or (e.kind == "outcome" and e.improved)]
    severity = _severity(spec, taxonomy, facts, adverse)
    s = severity.value

    row = baseline(taxonomy, spec.code, facts.country, facts.province, facts.contexts)
    start = LEVEL_LIKELIHOOD[row.level if row else DEFAULT_LEVEL]
    parts = [
        Contribution(
            "baseline" if row else "default",
            100 * s * start,
            start,
            baseline_id=row.id if row else None,
        )
    ]

    raising = _raising(spec.code, taxonomy, facts, as_of, adverse)
    likelihood = start
    for contribution, weight, _evidence in raising:
        step = (1 - likelihood) * weight
        likelihood += step
        parts.append(_with(contribution, 100 * s * step, step))

    # Remediation is applied one corrective action at a time, so each one's effect is its own line.
    kept = [1.0] * len(raising)
    for remedy in remedies:
        reduction = REMEDIATION_REDUCTION if remedy.kind == "remediation" else OUTCOME_REDUCTION
        for i, (_c, _w, evidence) in enumerate(raising):
            if evidence is not None and _answers(remedy, evidence):
                kept[i] *= 1 - reduction
        lowered = _noisy_or(start, (w * kept[i] for i, (_c, w, _e) in enumerate(raising)))
        step = lowered - likelihood
        likelihood = lowered
        parts.append(Contribution(remedy.kind, 100 * s * step, step, evidence_id=remedy.id))

    return IssueScore(spec.code, severity, likelihood, 100 * s * likelihood, tuple(parts))


def _with(c: Contribution, points: float, likelihood: float) -> Contribution:
    return Contribution(c.kind, points, likelihood, c.evidence_id, c.baseline_id, c.note)


def score_facility(facts: FacilityFacts, taxonomy: Taxonomy, as_of: date) -> tuple[IssueScore, ...]:
    """Every salient issue for one facility, in the taxonomy's order."""
    return tuple(score_issue(spec, taxonomy, facts, as_of) for spec in taxonomy.issues)
