"""Where a buyer stands, in figures: how far its chain is traced to the quarry, its top risks,
its improvement plans and their outcome indicators, overdue actions, red flags, grievances and
remediation, and what changed in the last period against the one before.

Every figure is counted by the database (aggregates over kept rows and kept counts such as
risk's ScoreSummary and the chain's ChainSummary), never by reading rows one by one, so the
page stays quick for a chain of 100,000 facilities. Every figure carries the address of the
filtered list that makes it."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import (
    Count,
    Exists,
    Max,
    OuterRef,
    Q,
    Sum,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from stonebridge.accounts.models import Organisation
from stonebridge.engagement import flags
from stonebridge.engagement.models import OPEN_STATUSES, Action, FlagState, Measure, Plan, Reading
from stonebridge.risk import queries as risk_queries
from stonebridge.risk.models import Issue, Score, ScoreSummary
from stonebridge.supplychain import summary as chain_summary
from stonebridge.voice.case_queries import received_cases
from stonebridge.voice.models import CaseState, Remedy, RemedyState
from stonebridge.voice.services.deadlines import not_acknowledged, not_answered

# "What changed" compares the last PERIOD_DAYS with the PERIOD_DAYS before (a quarter).
PERIOD_DAYS = 90
PERIOD = ("_now", "_before")
TOP_RISKS = 5
CASE_STATES = [
    CaseState.RECEIVED,
    CaseState.ACKNOWLEDGED,
    CaseState.IN_PROGRESS,
    CaseState.RESOLVED,
]
REMEDY_STATES = [
    RemedyState.PLANNED,
    RemedyState.IN_PROGRESS,
    RemedyState.DONE,
    RemedyState.VERIFIED,
]
# Per table (plans, actions, flags, cases, remedies), its counts by name.
Counts = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: float
    url: str
    # The same count in the period before, for the figures of what changed.
    previous: float | None = None
    unit: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    # The headline numbers, each a link to its list.
    figures: list[Figure]
    # What the section's chart draws, each bar a link to its list.
    bars: list[Figure] = field(default_factory=list)
    # Said plainly when the buyer has no data for the section yet.
    empty: str = ""

    @property
    def has_data(self) -> bool:
        shown = [*self.figures, *self.bars]
        return any(f.value or f.previous for f in shown)


@dataclass(frozen=True)
class Dashboard:
    organisation: Organisation
    today: date
    since: date
    sections: list[Section]

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


def _link(org: Organisation, name: str, **query: Any) -> str:
    url = reverse(name, args=[org.slug])
    shown = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{url}?{urlencode(shown)}" if shown else url


def _text(label: str | Promise) -> str:
    return str(label)


def transparency(org: Organisation) -> Section:
    """Share of the bought volume and of the direct suppliers traced to a known quarry, and how
    many facilities are known in each tier."""
    kept = chain_summary.kept(org)
    bought = kept.bought
    volume = bought["volume"]
    share = round(100 * float(bought["traced_volume"] / volume), 1) if volume else 0.0
    overview = _link(org, "supplychain:overview")
    facilities = "supplychain:facilities"
    suppliers = bought["suppliers"]
    figures = [
        Figure(
            "traced_volume_share",
            _text(_("Volume traced to the quarry")),
            share,
            overview,
            unit="%",
        ),
        Figure(
            "direct_suppliers",
            _text(_("Direct suppliers")),
            suppliers,
            _link(org, facilities, tier=1),
        ),
        Figure(
            "suppliers_traced",
            _text(_("Direct suppliers traced to the quarry")),
            bought["traced_suppliers"],
            _link(org, facilities, tier=1),
        ),
    ]
    bars = [
        Figure(
            f"tier_{tier}",
            _text(_("Tier %(tier)d") % {"tier": tier}),
            n,
            _link(org, facilities, tier=tier),
        )
        for tier, n in kept.tiers.items()
    ]
    return Section(
        "transparency",
        _text(_("Chain transparency")),
        figures,
        bars,
        _text(_("No supply chain recorded yet: record your direct suppliers and their links.")),
    )


def risks(org: Organisation) -> Section:
    """The highest priority per salient issue (from the kept counts) and the top risks."""
    cells = (
        ScoreSummary.objects.filter(organisation=org, n__gt=0)
        .values("issue_id")
        .annotate(top=Max("level"), n=Sum("n"))
        .order_by("-top", "issue_id")
    )
    rows = list(cells)
    names = {i.code: i for i in Issue.objects.filter(code__in=[r["issue_id"] for r in rows])}
    register = "risk:register"
    bars = [
        Figure(
            row["issue_id"],
            str(names.get(row["issue_id"], row["issue_id"])),
            round(row["top"], 1),
            _link(org, register, issue=row["issue_id"]),
        )
        for row in rows
    ]
    # A short range scan of the register's index (organisation, -priority, facility, id).
    top = (
        Score.objects.filter(organisation=org)
        .select_related("facility", "issue")
        .only(
            "facility_id",
            "issue_id",
            "priority",
            "facility__name_zh",
            "facility__name_en",
            "issue__name_en",
            "issue__name_zh",
        )
        .order_by(*risk_queries.SORTS["priority"])[:TOP_RISKS]
        if rows
        else []
    )
    figures = [
        Figure(
            f"risk_{score.pk}",
            f"{score.issue} · {score.facility.name_zh or score.facility.name_en}",
            round(score.priority, 1),
            reverse("risk:explain", args=[org.slug, score.facility_id, score.issue_id]),
        )
        for score in top
    ]
    return Section(
        "risks",
        _text(_("Top priority risks")),
        figures,
        bars,
        _text(_("No risk is scored yet: map your chain to the quarry first.")),
    )


def plans(org: Organisation, counts: Counts) -> Section:
    """Improvement plans, their actions and the outcome indicators that follow workers'
    conditions."""
    counted = counts["plans"]
    readings = Reading.objects.filter(measure=OuterRef("pk"))
    outcomes = Measure.objects.filter(
        action__plan__relationship__organisation=org, kind=Measure.Kind.OUTCOME
    ).aggregate(
        total=Count("pk"),
        measured=Count("pk", filter=Q(Exists(readings))),
        achieved=Count("pk", filter=Q(achieved_on__isnull=False)),
    )
    engagement = "engagement:dashboard"
    figures = [
        Figure(
            "plans_active",
            _text(_("Active plans")),
            counted["active"],
            _link(org, engagement, plan="active"),
        ),
        Figure("plans_closed", _text(_("Closed plans")), counted["closed"], _link(org, engagement)),
        Figure(
            "outcomes", _text(_("Outcome indicators")), outcomes["total"], _link(org, engagement)
        ),
        Figure(
            "outcomes_measured",
            _text(_("Outcome indicators with a measurement")),
            outcomes["measured"],
            _link(org, engagement),
        ),
        Figure(
            "outcomes_achieved",
            _text(_("Outcome indicators achieved")),
            outcomes["achieved"],
            _link(org, engagement),
        ),
    ]
    return Section(
        "plans",
        _text(_("Improvement plans and outcomes")),
        figures,
        figures[2:],
        _text(_("No improvement plan yet.")),
    )


def actions(org: Organisation, counts: Counts) -> Section:
    counted = counts["actions"]
    engagement = "engagement:dashboard"
    overdue = _link(org, engagement, overdue=1)
    figures = [
        Figure("actions_overdue", _text(_("Overdue actions")), counted["overdue"], overdue),
        Figure(
            "actions_open",
            _text(_("Open actions")),
            sum(counted[str(s)] for s in OPEN_STATUSES),
            _link(org, engagement),
        ),
    ]
    bars = [
        Figure(str(s), _text(s.label), counted[str(s)], _link(org, engagement))
        for s in OPEN_STATUSES
    ] + [figures[0]]
    return Section(
        "actions", _text(_("Actions in your plans")), figures, bars, _text(_("No action is open."))
    )


def red_flags(org: Organisation, counts: Counts) -> Section:
    standing = (
        FlagState.objects.filter(relationship__organisation=org, cleared_at__isnull=True)
        .values("code")
        .annotate(n=Count("relationship_id", distinct=True))
        .order_by("-n", "code")
    )
    engagement = "engagement:dashboard"
    bars = [
        Figure(
            row["code"],
            _text(flags.TITLES.get(row["code"], row["code"])),
            row["n"],
            _link(org, engagement, flag=row["code"]),
        )
        for row in standing
    ]
    suppliers = counts["flags"]["flagged_suppliers"]
    figures = [
        Figure(
            "flagged_suppliers",
            _text(_("Suppliers with a red flag")),
            suppliers,
            _link(org, engagement, flagged=1),
        )
    ]
    return Section(
        "red_flags", _text(_("Red flags")), figures, bars, _text(_("No red flag is raised."))
    )


def grievances(org: Organisation, counts: Counts) -> Section:
    """Grievances routed to the buyer that are not closed, and the remediation it owns."""
    states, remedy_states = CASE_STATES, REMEDY_STATES
    cases, remedies = counts["cases"], counts["remedies"]
    case_list, remedy_list = "voice:case_list", "voice:remedies"
    open_cases = sum(cases[str(s)] for s in states)
    figures = [
        Figure("cases_open", _text(_("Open grievances")), open_cases, _link(org, case_list)),
        Figure(
            "cases_overdue",
            _text(_("Grievances past their deadline")),
            cases["overdue"],
            _link(org, case_list, overdue="on"),
        ),
        Figure(
            "remedies_open",
            _text(_("Remedies not yet done")),
            remedies[RemedyState.PLANNED] + remedies[RemedyState.IN_PROGRESS],
            _link(org, remedy_list),
        ),
        Figure(
            "remedies_verified",
            _text(_("Remedies verified")),
            remedies[RemedyState.VERIFIED],
            _link(org, remedy_list, state=RemedyState.VERIFIED),
        ),
        Figure(
            "remedy_workers",
            _text(_("Workers covered by remedies")),
            remedies["workers"] or 0,
            _link(org, remedy_list),
        ),
    ]
    bars = [
        Figure(
            f"case_{s}",
            _text(_("Grievances: %(state)s") % {"state": s.label}),
            cases[str(s)],
            _link(org, case_list, state=s),
        )
        for s in states
    ] + [
        Figure(
            f"remedy_{s}",
            _text(_("Remedies: %(state)s") % {"state": s.label}),
            remedies[str(s)],
            _link(org, remedy_list, state=s),
        )
        for s in remedy_states
    ]
    return Section(
        "grievances",
        _text(_("Grievances and remediation")),
        figures,
        bars,
        _text(_("No grievance has reached you and no remedy is recorded.")),
    )


def _in_period(names: list[str], start: datetime, middle: datetime) -> dict[str, Any]:
    """For each date field, the rows whose date falls in the last period and in the one
    before."""
    counts: dict[str, Any] = {}
    for name in names:
        counts[f"{name}_now"] = Count("pk", filter=Q(**{f"{name}__gte": middle}))
        counts[f"{name}_before"] = Count(
            "pk", filter=Q(**{f"{name}__gte": start, f"{name}__lt": middle})
        )
    return counts


def count(org: Organisation, today: date) -> Counts:
    """Each table counted once, in one query: the figures of its section together with its rows
    in the last period and in the one before (what changed)."""
    now = timezone.now()
    middle, start = now - timedelta(days=PERIOD_DAYS), now - timedelta(days=2 * PERIOD_DAYS)
    standing = Q(cleared_at__isnull=True)
    return {
        "plans": Plan.objects.filter(relationship__organisation=org).aggregate(
            active=Count("pk", filter=Q(state=Plan.State.ACTIVE)),
            closed=Count("pk", filter=Q(state=Plan.State.CLOSED)),
            **_in_period(["created_at"], start, middle),
        ),
        "actions": Action.objects.filter(plan__relationship__organisation=org).aggregate(
            **{str(status): Count("pk", filter=Q(status=status)) for status in OPEN_STATUSES},
            overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_on__lt=today)),
            **_in_period(["verified_at"], start, middle),
        ),
        "flags": FlagState.objects.filter(relationship__organisation=org).aggregate(
            flagged_suppliers=Count("relationship_id", distinct=True, filter=standing),
            **_in_period(["raised_at", "cleared_at"], start, middle),
        ),
        "cases": received_cases(org).aggregate(
            **{str(s): Count("pk", filter=Q(state=s)) for s in CASE_STATES},
            overdue=Count("pk", filter=not_acknowledged(today) | not_answered(today)),
            **_in_period(["received_at", "closed_at"], start, middle),
        ),
        "remedies": Remedy.objects.filter(organisation=org).aggregate(
            **{str(s): Count("pk", filter=Q(state=s)) for s in REMEDY_STATES},
            workers=Sum("workers_covered"),
            **_in_period(["opened_at"], start, middle),
        ),
    }


def changes(org: Organisation, counts: Counts) -> Section:
    """What changed in the last PERIOD_DAYS against the PERIOD_DAYS before."""
    engagement, case_list, remedy_list = "engagement:dashboard", "voice:case_list", "voice:remedies"
    counted = {k: v for table in counts.values() for k, v in table.items() if k.endswith(PERIOD)}
    shown: list[tuple[str, str, str, str]] = [
        (
            "flags_raised",
            "raised_at",
            _text(_("Red flags raised")),
            _link(org, engagement, flagged=1),
        ),
        ("flags_cleared", "cleared_at", _text(_("Red flags cleared")), _link(org, engagement)),
        ("plans_started", "created_at", _text(_("Plans started")), _link(org, engagement)),
        (
            "actions_verified",
            "verified_at",
            _text(_("Actions verified as done")),
            _link(org, engagement),
        ),
        ("cases_received", "received_at", _text(_("Grievances received")), _link(org, case_list)),
        (
            "cases_closed",
            "closed_at",
            _text(_("Grievances closed")),
            _link(org, case_list, state=CaseState.CLOSED),
        ),
        ("remedies_opened", "opened_at", _text(_("Remedies opened")), _link(org, remedy_list)),
    ]
    figures = [
        Figure(key, label, counted[f"{field}_now"], url, previous=counted[f"{field}_before"])
        for key, field, label, url in shown
    ]
    return Section(
        "changes",
        _text(_("What changed in the last 90 days")),
        figures,
        figures,
        _text(_("Nothing changed in the last 180 days.")),
    )


def gather(organisation: Organisation, today: date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    counts = count(organisation, today)
    sections = [
        transparency(organisation),
        risks(organisation),
        plans(organisation, counts),
        actions(organisation, counts),
        red_flags(organisation, counts),
        grievances(organisation, counts),
        changes(organisation, counts),
    ]
    return Dashboard(organisation, today, today - timedelta(days=PERIOD_DAYS), sections)
