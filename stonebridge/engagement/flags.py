"""The four red flags for disengagement, evaluated from the record (guidance paper; DOMAIN.md).

Pure: it takes what happened and returns, for each flag, whether it is raised and the facts for
and against it, so that a person can check the judgement before escalating. No database, no clock.

Two rules shape every flag:
- No zero tolerance. A problem the supplier disclosed itself never counts against it: such
  findings appear only among the facts *against* a flag.
- Consequences follow from failing to act, not from the finding itself: flags 1-3 are about
  answers, transparency and improvement; only flag 4 (state-imposed or prison labour, beyond
  anyone's control) rests on a finding.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext

from stonebridge.display import isolate, plain, readable

# StoneBridge default: how long a request or action may stay past due, with no word from the
# supplier, before it counts as ignored. Callers pass the value staff set (stonebridge/defaults).
GRACE_DAYS = 30

REFUSAL_TO_ENGAGE = "refusal_to_engage"
REFUSAL_OF_TRANSPARENCY = "refusal_of_transparency"
NO_IMPROVEMENT = "no_improvement"
IRREMEDIABLE = "systematic_irremediable"

TITLES: dict[str, Promise] = {
    REFUSAL_TO_ENGAGE: _("Refuses to engage"),
    REFUSAL_OF_TRANSPARENCY: _("Refuses transparency"),
    NO_IMPROVEMENT: _("No tangible improvement despite support"),
    IRREMEDIABLE: _("Systematic, irremediable risk"),
}

# What the supplier reads on its workspace while a flag stands: the concern in constructive
# words, and what would resolve it. Consequences follow from failing to act (guidance), so the
# supplier is told which acts count.
CONCERNS: dict[str, tuple[Promise, Promise]] = {
    REFUSAL_TO_ENGAGE: (
        _("Some of your buyer's requests or actions have had no answer, or were refused."),
        _(
            "Answer the open requests and report progress on your actions. If you need more "
            "time, propose a new due date; if you cannot provide something, say why."
        ),
    ),
    REFUSAL_OF_TRANSPARENCY: (
        _(
            "A request for documents, a site visit or your sub-contractors was refused or has "
            "had no answer."
        ),
        _(
            "Share what was asked, or agree with your buyer another way to show it, for "
            "example a visit by a third party."
        ),
    ),
    NO_IMPROVEMENT: (
        _(
            "The measurements in your improvement plan have not improved, although your buyer "
            "supported the actions."
        ),
        _(
            "Record new measurements, and talk with your buyer about what stands in the way "
            "and what further support would help."
        ),
    ),
    IRREMEDIABLE: (
        _("Prison labour was found in the supply chain: neither you nor your buyer can change it."),
        _(
            "Talk with your buyer about where the stone or the work comes from, and whether it "
            "can come from elsewhere."
        ),
    ),
}

TRANSPARENCY_REQUESTS = ("documents", "visit", "subcontractors")
TRANSPARENCY_INDICATORS = ("TR_REFUSED_VISIT", "TR_SUBCONTRACTOR")
STATE_IMPOSED = "FL_STATE_PRISON"

TEXTS: dict[str, Promise] = {
    "request_ignored": _("Request “%(label)s” was due on %(due)s and has had no answer."),
    "request_refused": _("Request “%(label)s” was refused."),
    "request_answered": _("Request “%(label)s” was answered."),
    "action_ignored": _(
        "Action “%(label)s” was due on %(due)s; the supplier has said nothing for %(days)s days."
    ),
    "action_progressing": _("The supplier reported on action “%(label)s” on %(on)s."),
    "code_acknowledged": _("The supplier acknowledged your code of conduct."),
    "action_waiting": _(
        "Action “%(label)s” waits for you: the supplier reported it done or proposed a new date."
    ),
    "not_shared": _(
        "The supplier's account has not accepted what you share, so it cannot see your requests "
        "and actions: they do not count against it."
    ),
    "finding_not_asked": _(
        "Finding of %(on)s: %(label)s. It counts once disclosure was asked for and refused."
    ),
    "outcome_at_target": _("“%(label)s” is at its target (%(latest)s)."),
    "own_practices": _(
        "Your own orders show practices that push towards overtime and sub-contracting: "
        "%(practices)s."
    ),
    "map_gaps": ngettext_lazy(
        "Your map shows %(count)s undisclosed sub-contracting step under this supplier.",
        "Your map shows %(count)s undisclosed sub-contracting steps under this supplier.",
        "count",
    ),
    "map_gaps_not_asked": ngettext_lazy(
        "Your map shows %(count)s undisclosed sub-contracting step, but disclosure was not "
        "yet requested and refused: ask first.",
        "Your map shows %(count)s undisclosed sub-contracting steps, but disclosure was not "
        "yet requested and refused: ask first.",
        "count",
    ),
    "finding": _("Finding of %(on)s: %(label)s"),
    "disclosed": _(
        "Disclosed by the supplier itself on %(on)s: %(label)s. Disclosure never counts against "
        "a supplier."
    ),
    "outcome_flat": _(
        "“%(label)s” was %(baseline)s at the start and %(latest)s on %(on)s: no improvement."
    ),
    "outcome_unmeasured": _("“%(label)s” has had no confirmed measurement since the start."),
    "outcome_improved": _("“%(label)s” improved from %(baseline)s to %(latest)s."),
    "support_given": _("Support given on %(on)s: %(label)s."),
    "no_support": _(
        "No support is recorded for the actions behind “%(label)s”: no improvement there cannot "
        "be held against the supplier yet."
    ),
    "period_running": _(
        "“%(label)s”: the period you set to show improvement runs until %(until)s."
    ),
    "no_outcomes": _(
        "The plans measure no outcomes in workers' conditions, so improvement cannot be judged."
    ),
    "new_account": _(
        "This supplier's account accepted on %(on)s, after you named it in place of another: "
        "what happened before does not count against it."
    ),
}


@dataclass(frozen=True)
class Fact:
    code: str
    params: Mapping[str, object]
    ref: str = ""  # "request:12", "action:4", "evidence:9", "support:3": what a page links to

    def __str__(self) -> str:
        return plain(self.marked)

    @property
    def marked(self) -> str:
        """The fact with its label, a person's words (an action's title, a finding), set apart,
        so that a page marks its language (`display.notice`). Counts stay numbers: a plural
        text chooses its form by them."""
        params = {
            key: isolate(str(value)) if key == "label" else readable(value)
            for key, value in self.params.items()
        }
        return str(TEXTS[self.code] % params)

    @property
    def action_id(self) -> int | None:
        """The action a page can link the fact to."""
        kind, _sep, pk = self.ref.partition(":")
        return int(pk) if kind == "action" else None


@dataclass(frozen=True)
class RequestFact:
    id: int
    kind: str
    label: str
    due_on: date
    state: str  # open, answered, refused
    answered_on: date | None = None


@dataclass(frozen=True)
class ActionFact:
    id: int
    label: str
    due_on: date
    open: bool
    last_supplier_word: date | None  # the supplier's latest update, comment or proposal
    waiting_on_buyer: bool = False  # reported done, or a new date proposed and not decided


@dataclass(frozen=True)
class OutcomeFact:
    id: int
    label: str
    action_id: int
    plan_started: date
    baseline: Decimal | None
    latest: Decimal | None
    latest_on: date | None
    lower_is_better: bool
    target: Decimal | None = None

    @property
    def improved(self) -> bool:
        if self.baseline is None or self.latest is None:
            return False
        if self.lower_is_better:
            return self.latest < self.baseline
        return self.latest > self.baseline

    @property
    def at_target(self) -> bool:
        """Nothing left to improve: a workshop with no juveniles in hazardous work stays at 0."""
        if self.target is None or self.latest is None:
            return False
        if self.lower_is_better:
            return self.latest <= self.target
        return self.latest >= self.target


@dataclass(frozen=True)
class SupportFact:
    id: int
    label: str
    given_on: date
    action_ids: frozenset[int]


@dataclass(frozen=True)
class FindingFact:
    id: int
    indicator: str
    label: str
    observed_on: date
    disclosed_by_supplier: bool


@dataclass(frozen=True)
class Record:
    today: date
    improvement_period_days: int
    requests: list[RequestFact] = field(default_factory=list)
    actions: list[ActionFact] = field(default_factory=list)
    outcomes: list[OutcomeFact] = field(default_factory=list)
    support: list[SupportFact] = field(default_factory=list)
    findings: list[FindingFact] = field(default_factory=list)
    code_acknowledged: bool = False
    undisclosed_subcontractors: int = 0
    shared: bool = True  # the supplier's account accepted, so it sees requests and actions
    # When the current account accepted after taking over from another: the clocks start there.
    since: date | None = None
    pushing_practices: list[str] = field(default_factory=list)  # in the buyer's own orders


@dataclass(frozen=True)
class Flag:
    code: str
    raised: bool
    evidence_for: list[Fact]
    evidence_against: list[Fact]

    @property
    def title(self) -> str:
        return str(TITLES[self.code])


def evaluate(record: Record, *, grace_days: int = GRACE_DAYS) -> list[Flag]:
    return [
        refusal_to_engage(record, grace_days=grace_days),
        refusal_of_transparency(record, grace_days=grace_days),
        no_improvement(record),
        systematic_irremediable(record),
    ]


def _overdue(due_on: date, today: date, since: date | None = None, *, grace_days: int) -> bool:
    """Past due and the grace period, counted from the new account's acceptance at the
    earliest: it cannot be late with what it could not see."""
    start = max(due_on, since) if since else due_on
    return start + timedelta(days=grace_days) < today


def _by_earlier_account(request: RequestFact, since: date | None) -> bool:
    """An answer or refusal given before the current account accepted was another's."""
    return bool(since and request.answered_on and request.answered_on < since)


def _new_account(record: Record) -> list[Fact]:
    return [Fact("new_account", {"on": record.since})] if record.since else []


def _request(code: str, request: RequestFact) -> Fact:
    return Fact(code, {"label": request.label, "due": request.due_on}, f"request:{request.id}")


def _ignored(
    request: RequestFact, today: date, since: date | None = None, *, grace_days: int
) -> bool:
    return request.state == "open" and _overdue(request.due_on, today, since, grace_days=grace_days)


def refusal_to_engage(record: Record, *, grace_days: int = GRACE_DAYS) -> Flag:
    today = record.today
    against: list[Fact] = []
    evidence: list[Fact] = []
    if record.code_acknowledged:
        against.append(Fact("code_acknowledged", {}))
    if not record.shared:
        return Flag(REFUSAL_TO_ENGAGE, False, [], [*against, Fact("not_shared", {})])
    since = record.since
    against += _new_account(record)
    for request in record.requests:
        if request.kind in TRANSPARENCY_REQUESTS or _by_earlier_account(request, since):
            continue  # judged under transparency, or another account's answer
        if _ignored(request, today, since, grace_days=grace_days):
            evidence.append(_request("request_ignored", request))
        elif request.state == "refused":
            evidence.append(_request("request_refused", request))
        elif request.state == "answered":
            against.append(_request("request_answered", request))
    for action in record.actions:
        word = action.last_supplier_word
        if word is not None and since is not None and word < since:
            word = None  # another account's word
        if action.open and action.waiting_on_buyer:
            against.append(Fact("action_waiting", {"label": action.label}, f"action:{action.id}"))
            continue
        silent_for = (today - word).days if word else None
        if (
            action.open
            and _overdue(action.due_on, today, since, grace_days=grace_days)
            and (silent_for is None or silent_for > grace_days)
        ):
            start = max(action.due_on, since) if since else action.due_on
            days = silent_for if silent_for is not None else (today - start).days
            evidence.append(
                Fact(
                    "action_ignored",
                    {"label": action.label, "due": action.due_on, "days": days},
                    f"action:{action.id}",
                )
            )
        elif word is not None:
            against.append(
                Fact(
                    "action_progressing", {"label": action.label, "on": word}, f"action:{action.id}"
                )
            )
    return Flag(REFUSAL_TO_ENGAGE, bool(evidence), evidence, against)


def _finding(code: str, finding: FindingFact) -> Fact:
    return Fact(code, {"label": finding.label, "on": finding.observed_on}, f"evidence:{finding.id}")


def _split_findings(findings: Iterable[FindingFact]) -> tuple[list[Fact], list[Fact]]:
    """Findings for a flag, and those the supplier disclosed itself (which only count against)."""
    counted, disclosed = [], []
    for finding in findings:
        if finding.disclosed_by_supplier:
            disclosed.append(_finding("disclosed", finding))
        else:
            counted.append(_finding("finding", finding))
    return counted, disclosed


def refusal_of_transparency(record: Record, *, grace_days: int = GRACE_DAYS) -> Flag:
    today = record.today
    refusals: list[Fact] = []
    against: list[Fact] = []
    disclosure_refused = False
    if not record.shared:
        against.append(Fact("not_shared", {}))
    else:
        against += _new_account(record)
    for request in record.requests if record.shared else []:
        if request.kind not in TRANSPARENCY_REQUESTS or _by_earlier_account(request, record.since):
            continue
        if request.state == "refused" or _ignored(
            request, today, record.since, grace_days=grace_days
        ):
            code = "request_refused" if request.state == "refused" else "request_ignored"
            refusals.append(_request(code, request))
            disclosure_refused |= request.kind == "subcontractors"
        elif request.state == "answered":
            against.append(_request("request_answered", request))
    # An auditor refused entry is a refusal in itself.
    visits, visits_disclosed = _split_findings(
        f for f in record.findings if f.indicator == "TR_REFUSED_VISIT"
    )
    hidden, hidden_disclosed = _split_findings(
        f for f in record.findings if f.indicator == "TR_SUBCONTRACTOR"
    )
    against += visits_disclosed + hidden_disclosed
    evidence = refusals + visits
    # Hidden sub-contracting, found by an audit or a gap in the buyer's own map, is not yet a
    # refusal: it counts once disclosure was asked for and refused or ignored ("repeatedly
    # fails to disclose", guidance).
    if disclosure_refused:
        evidence += hidden
    else:
        against += [Fact("finding_not_asked", fact.params, fact.ref) for fact in hidden]
    if record.undisclosed_subcontractors:
        params = {"count": record.undisclosed_subcontractors}
        if disclosure_refused:
            evidence.append(Fact("map_gaps", params))
        else:
            against.append(Fact("map_gaps_not_asked", params))
    return Flag(REFUSAL_OF_TRANSPARENCY, bool(evidence), evidence, against)


def no_improvement(record: Record) -> Flag:
    """Raised when no outcome improved (or reached its target) although the buyer supported the
    actions behind them, once the period the buyer set has run from that support. Without
    support it cannot be raised (guidance: "despite adequate business incentive, capacity
    building and concrete support"); the buyer's own pushing practices are weighed against it."""
    today = record.today
    period = timedelta(days=record.improvement_period_days)
    supported: dict[int, list[SupportFact]] = {}
    for support in record.support:
        if support.given_on > today:
            continue  # promised, not yet given
        for action_id in support.action_ids:
            supported.setdefault(action_id, []).append(support)
    evidence: list[Fact] = []
    against: list[Fact] = []
    shown_support: set[int] = set()
    if not record.outcomes:
        against.append(Fact("no_outcomes", {}))
    if record.pushing_practices:
        practices = pgettext("list separator", ", ").join(record.pushing_practices)
        against.append(Fact("own_practices", {"practices": practices}))
    for outcome in record.outcomes:
        label = {"label": outcome.label}
        ref = f"action:{outcome.action_id}"
        changed = {**label, "baseline": outcome.baseline, "latest": outcome.latest}
        if outcome.improved:
            against.append(Fact("outcome_improved", changed, ref))
            continue
        if outcome.at_target:
            against.append(Fact("outcome_at_target", changed, ref))
            continue
        given = supported.get(outcome.action_id, [])
        if not given:
            against.append(Fact("no_support", label, ref))
            continue
        # The period runs from the plan's start, the first support or the current account's
        # acceptance after another's, whichever is later.
        since = max(outcome.plan_started, min(support.given_on for support in given))
        if record.since:
            since = max(since, record.since)
        if since + period > today:
            against.append(Fact("period_running", {**label, "until": since + period}, ref))
            continue
        if outcome.latest is None:
            evidence.append(Fact("outcome_unmeasured", label, ref))
        else:
            evidence.append(Fact("outcome_flat", {**changed, "on": outcome.latest_on}, ref))
        for support in given:
            if support.id not in shown_support:
                shown_support.add(support.id)
                evidence.append(
                    Fact(
                        "support_given",
                        {"label": support.label, "on": support.given_on},
                        f"support:{support.id}",
                    )
                )
    better = any(outcome.improved or outcome.at_target for outcome in record.outcomes)
    return Flag(NO_IMPROVEMENT, bool(evidence) and not better, evidence, against)


def systematic_irremediable(record: Record) -> Flag:
    found, disclosed = _split_findings(f for f in record.findings if f.indicator == STATE_IMPOSED)
    return Flag(IRREMEDIABLE, bool(found), found, disclosed)


ESCALATION = [
    "reminder",
    "senior_meeting",
    "joint_visit",
    "collective_action",
    "suspend_orders",
    "exit",
]


def next_step(flags: list[Flag], steps_taken: Iterable[str]) -> str | None:
    """The next escalation step to consider: the rung above the highest one taken, so a buyer
    who went straight to collective action is not sent back to a reminder. State-imposed or
    prison labour is beyond anyone's leverage, so there the next step is to plan a responsible
    exit; once an exit is planned, the ladder has no further step."""
    raised = {flag.code for flag in flags if flag.raised}
    rungs = [ESCALATION.index(step) for step in steps_taken if step in ESCALATION]
    highest = max(rungs, default=-1)
    if not raised or highest == len(ESCALATION) - 1:
        return None
    if IRREMEDIABLE in raised:
        return "exit"
    return ESCALATION[highest + 1]
