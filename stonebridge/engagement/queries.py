"""Reading the engagement record: the facts behind the red flags, plan progress for charts,
purchasing practices beside the supplier's risks, and what needs the buyer's attention."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from stonebridge.accounts.models import Invitation, Organisation
from stonebridge.accounts.ownership import shared_with
from stonebridge.defaults import queries as defaults
from stonebridge.defaults.models import Key
from stonebridge.display import isolate
from stonebridge.languages import bilingual_html, in_reader_language
from stonebridge.pages import paginate
from stonebridge.risk.models import Evidence, Score
from stonebridge.supplychain.codes import normalise_credit_code
from stonebridge.supplychain.models import Facility, LinkKind
from stonebridge.supplychain.queries import chain_edges

from . import charts, flags, practices
from .indicators import BY_CODE
from .models import (
    OPEN_STATUSES,
    Action,
    ActionKind,
    Commitment,
    DueDateChange,
    FlagState,
    Measure,
    Order,
    Plan,
    Reading,
    Relationship,
    Request,
    Status,
    Update,
)
from .templatetags.engagement import local_title


def actions_of(relationship: Relationship) -> list[Action]:
    """The relationship's actions with everything the record reads about them."""
    return list(
        Action.objects.filter(plan__relationship=relationship)
        .select_related("plan")
        .prefetch_related(
            "updates",
            "due_date_changes",
            "support",
            Prefetch("measures", queryset=Measure.objects.prefetch_related("readings")),
        )
    )


def _last_supplier_word(action: Action) -> date | None:
    days = [u.created_at.date() for u in action.updates.all() if u.by_supplier]
    days += [c.proposed_at.date() for c in action.due_date_changes.all()]
    days += [
        r.created_at.date()
        for m in action.measures.all()
        for r in m.readings.all()
        if r.by_supplier
    ]
    return max(days, default=None)


def _waits_for_buyer(action: Action) -> bool:
    pending = any(
        c.decision == DueDateChange.Decision.PENDING for c in action.due_date_changes.all()
    )
    return pending or action.status == Action.Status.REPORTED_DONE


def latest_confirmed(measure: Measure) -> Reading | None:
    confirmed = [r for r in measure.readings.all() if r.confirmed_at is not None]
    return max(confirmed, key=lambda r: (r.measured_on, r.pk), default=None)


def upstream_ids(relationship: Relationship) -> tuple[set[int], int]:
    """The facilities up the buyer's chain from this supplier (itself included), and how many
    sub-contracting steps there the buyer's map marks as undisclosed."""
    edges = chain_edges(relationship.organisation, upstream_of=relationship.facility_id)
    ids = {relationship.facility_id} | {e.supplier for e in edges if e.supplier is not None}
    gaps = sum(1 for e in edges if e.supplier is None and e.kind == LinkKind.SUBCONTRACTS)
    return ids, gaps


def record_of(relationship: Relationship, today: date) -> flags.Record:
    actions = actions_of(relationship)
    facility_ids, gaps = upstream_ids(relationship)
    findings = (
        Evidence.objects.counting()
        .filter(
            organisation=relationship.organisation,
            facility_id__in=facility_ids,
            kind="finding",
            indicator__code__in=[*flags.TRANSPARENCY_INDICATORS, flags.STATE_IMPOSED],
        )
        .select_related("indicator")
    )
    outcomes = []
    for action in actions:
        if action.status == Action.Status.CANCELLED:
            continue
        for measure in action.measures.all():
            if measure.kind != Measure.Kind.OUTCOME or measure.baseline is None:
                continue  # without a baseline there is nothing to improve on
            latest = latest_confirmed(measure)
            outcomes.append(
                flags.OutcomeFact(
                    id=measure.pk,
                    label=measure.title,
                    action_id=action.pk,
                    plan_started=action.plan.starts_on,
                    baseline=measure.baseline,
                    latest=latest.value if latest else None,
                    latest_on=latest.measured_on if latest else None,
                    lower_is_better=measure.lower_is_better,
                    target=measure.target,
                )
            )
    return flags.Record(
        today=today,
        improvement_period_days=relationship.improvement_period_days,
        requests=[
            flags.RequestFact(
                r.pk,
                r.kind,
                r.text[:80],
                r.due_on,
                r.state,
                timezone.localdate(r.answered_at) if r.answered_at else None,
            )
            for r in relationship.requests.all()
        ],
        actions=[
            flags.ActionFact(
                a.pk, a.title, a.due_on, a.is_open, _last_supplier_word(a), _waits_for_buyer(a)
            )
            for a in actions
            if a.kind != ActionKind.REMEDIATION or a.is_open
        ],
        outcomes=outcomes,
        support=[
            flags.SupportFact(
                s.pk,
                s.get_kind_display(),
                s.given_on,
                frozenset(a.pk for a in s.actions.all()),
            )
            for s in relationship.support.prefetch_related("actions")
        ],
        findings=[
            flags.FindingFact(
                e.pk,
                e.indicator.code if e.indicator else "",
                e.summary[:120],
                e.observed_on,
                e.disclosed_by_supplier,
            )
            for e in findings
        ],
        code_acknowledged=relationship.commitments.filter(acknowledged_at__isnull=False).exists(),
        undisclosed_subcontractors=gaps,
        shared=relationship.shared,
        since=relationship.flags_since,
        pushing_practices=[
            str(practices.LABELS[code])
            for code, count in practices.summary(
                row.practices for row in order_rows(relationship)
            ).items()
            if count
        ],
    )


def red_flags(relationship: Relationship, today: date) -> list[flags.Flag]:
    return flags.evaluate(record_of(relationship, today), grace_days=defaults.value(Key.GRACE_DAYS))


# --- plan progress ----------------------------------------------------------------------------


@dataclass
class OutcomeProgress:
    measure: Measure
    readings: list[Reading]
    latest: Reading | None

    @property
    def improved(self) -> bool:
        return self.latest is not None and self.measure.improved(self.latest.value)

    def chart(self) -> charts.OutcomeChart:
        """Readings over time against the baseline and the target, drawn on the server."""
        indicator = BY_CODE.get(self.measure.indicator)
        return charts.outcome_chart(
            # In the reader's language: the stored title is in the language of whoever added it.
            title=str(indicator.label) if indicator else local_title(self.measure),
            # A buyer's own outcome in both languages, so that none reads as a silent block.
            caption="" if indicator else bilingual_html(self.measure.title, self.measure.title_zh),
            unit=self.measure.unit,
            samples=[
                charts.Sample(r.measured_on, r.value, r.confirmed_at is not None)
                for r in self.readings
            ],
            baseline=self.measure.baseline,
            target=self.measure.target,
            limit=indicator.legal_limit.value if indicator and indicator.legal_limit else None,
            limit_source=str(indicator.legal_limit.source)
            if indicator and indicator.legal_limit
            else "",
        )


@dataclass
class PlanProgress:
    plan: Plan
    actions: list[Action]
    milestones_total: int = 0
    milestones_done: int = 0
    outcomes: list[OutcomeProgress] = field(default_factory=list)

    @property
    def only_milestones(self) -> bool:
        """Outcomes over procedures: a plan that measures no change in workers' conditions is
        flagged (guidance; DOMAIN.md)."""
        return not self.outcomes

    @property
    def without_baseline(self) -> int:
        """Outcomes whose change cannot be measured until a baseline is set."""
        return sum(1 for outcome in self.outcomes if outcome.measure.baseline is None)

    @property
    def outcomes_improved(self) -> int:
        return sum(1 for outcome in self.outcomes if outcome.improved)

    @property
    def actions_done(self) -> int:
        return sum(1 for a in self.actions if a.status == Action.Status.VERIFIED)


def plan_progress(plan: Plan) -> PlanProgress:
    actions = list(
        plan.actions.select_related("issue", "buyer_owner", "supplier_owner").prefetch_related(
            Prefetch("measures", queryset=Measure.objects.prefetch_related("readings")),
            "support",
        )
    )
    progress = PlanProgress(plan=plan, actions=actions)
    for action in actions:
        for measure in action.measures.all():
            if measure.kind == Measure.Kind.MILESTONE:
                progress.milestones_total += 1
                progress.milestones_done += measure.achieved_on is not None
            else:
                readings = list(measure.readings.all())
                progress.outcomes.append(
                    OutcomeProgress(measure, readings, latest_confirmed(measure))
                )
    return progress


def plan_page(plan: Plan) -> dict[str, Any]:
    """What the plan page shows, to the buyer and to the supplier alike."""
    progress = plan_progress(plan)
    return {
        "plan": plan,
        "relationship": plan.relationship,
        "progress": progress,
        "charts": [outcome.chart() for outcome in progress.outcomes],
        "today": timezone.localdate(),
    }


# Reports and comments shown at once on an action's page (StoneBridge default): an action
# reported on weekly for years stays a small page on a phone.
THREAD_PER_PAGE = 20


def action_page(request: HttpRequest, action: Action) -> dict[str, Any]:
    """What the action page shows on either side: its measures, the thread of reports and
    comments with their files (the newest first, older pages a link away), the proposed due
    dates and the support given for it."""
    newest_first = (
        action.updates.select_related("author")
        .prefetch_related("attachments")
        .order_by("-created_at", "-pk")
    )
    thread = paginate(request, newest_first, THREAD_PER_PAGE, param="thread")
    return {
        "action": action,
        "plan": action.plan,
        "relationship": action.plan.relationship,
        "measures": action.measures.prefetch_related("readings__reported_by"),
        "thread": thread,
        "updates": reversed(thread.object_list),  # read in time order within the page
        "proposals": action.due_date_changes.select_related("proposed_by", "decided_by"),
        "support": action.support.all(),
        "today": timezone.localdate(),
    }


# --- purchasing practices ---------------------------------------------------------------------

PRACTICE_RISKS = ("HOURS_WAGES", "TRANSPARENCY")


@dataclass
class OrderRow:
    order: Order
    practices: list[str]
    lead_days: int


def practice_thresholds() -> dict[str, int]:
    """The thresholds in use, as practices.assess takes them."""
    return {
        "short_lead_days": defaults.value(Key.SHORT_LEAD_DAYS),
        "late_change_days": defaults.value(Key.LATE_CHANGE_DAYS),
        "long_payment_days": defaults.value(Key.LONG_PAYMENT_DAYS),
        "below_cost_percent": defaults.value(Key.BELOW_COST_PERCENT),
    }


def order_rows(relationship: Relationship) -> list[OrderRow]:
    """The buyer's orders, each with the practices it shows."""
    thresholds = practice_thresholds()
    rows = []
    for order in relationship.orders.all():
        terms = practices.OrderTerms(
            placed_on=order.placed_on,
            delivery_due_on=order.delivery_due_on,
            last_changed_on=order.last_changed_on,
            payment_days=order.payment_days,
            unit_price=order.unit_price,
            labour_cost_per_unit=order.labour_cost_per_unit,
        )
        rows.append(OrderRow(order, practices.assess(terms, **thresholds), terms.lead_days))
    return rows


def purchasing(relationship: Relationship) -> dict[str, Any]:
    """The buyer's orders with the practices they show, beside the supplier's working-hours and
    sub-contracting risks: the pressure and what it may cause, side by side."""
    rows = order_rows(relationship)
    risks = Score.objects.filter(
        organisation=relationship.organisation,
        facility=relationship.facility,
        issue_id__in=PRACTICE_RISKS,
    ).select_related("issue")
    return {
        "rows": rows,
        "counts": practices.summary(row.practices for row in rows),
        "risks": list(risks),
        "thresholds": practice_thresholds(),
    }


# --- the buyer's dashboard --------------------------------------------------------------------


def relationships_for(organisation: Organisation) -> QuerySet[Relationship]:
    return Relationship.objects.of_buyer(organisation).select_related("facility", "supplier")


def open_remediation_after_exit(organisation: Organisation) -> QuerySet[Action]:
    """Remediation survives the exit: it stays here until it is fulfilled."""
    return (
        Action.objects.filter(
            plan__relationship__organisation=organisation,
            plan__relationship__status__in=(Status.EXITING, Status.EXITED),
            kind=ActionKind.REMEDIATION,
        )
        .still_open()
        .select_related("plan__relationship__facility")
    )


def overdue_actions(organisation: Organisation, today: date) -> QuerySet[Action]:
    return (
        Action.objects.filter(plan__relationship__organisation=organisation)
        .overdue(today)
        .select_related("plan__relationship__facility")
    )


def standing(organisation: Organisation, today: date, shown: int) -> dict[str, Any]:
    """Where the buyer stands: actions still open (and how many overdue), and the red flags
    standing since the last daily check, the newest `shown` of them."""
    # Both counts in one pass over the buyer's actions, reached through its relationships.
    actions = Action.objects.filter(plan__relationship__organisation=organisation).aggregate(
        open_actions=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_on__lt=today)),
    )
    raised = FlagState.objects.filter(relationship__organisation=organisation, cleared_at=None)
    return {
        "open_actions": actions["open_actions"],
        "overdue": actions["overdue"],
        "flags": raised.select_related("relationship__facility")[:shown],
        "flag_count": raised.count(),
    }


def waiting_for_buyer(organisation: Organisation, limit: int) -> dict[str, Any]:
    """Supplier reports that wait for the buyer: done to verify, dates to decide, values to
    confirm."""
    mine = {"plan__relationship__organisation": organisation}
    return {
        "to_verify": Action.objects.filter(
            **mine, status=Action.Status.REPORTED_DONE
        ).select_related("plan__relationship__facility")[:limit],
        "dates": DueDateChange.objects.filter(
            action__plan__relationship__organisation=organisation,
            decision=DueDateChange.Decision.PENDING,
        ).select_related("action")[:limit],
        "readings": Reading.objects.filter(
            measure__action__plan__relationship__organisation=organisation,
            confirmed_at__isnull=True,
        ).select_related("measure__action")[:limit],
    }


def disclosed(relationship: Relationship) -> QuerySet[Evidence]:
    """Problems the supplier told the buyer of itself: to work on together, never held
    against it."""
    return (
        Evidence.objects.counting()
        .filter(
            organisation=relationship.organisation,
            facility=relationship.facility,
            disclosed_by_supplier=True,
        )
        .select_related("issue")
        .order_by("-observed_on")
    )


# --- the supplier's side ----------------------------------------------------------------------


@dataclass(frozen=True)
class Concern:
    """A red flag standing on the supplier, as the supplier reads it."""

    relationship: Relationship
    concern: Promise
    resolution: Promise


def concerns_of(supplier: Organisation) -> list[Concern]:
    """The red flags standing on the supplier with every buyer it accepted."""
    standing = (
        FlagState.objects.shared_with(supplier)
        .filter(cleared_at__isnull=True)
        .select_related("relationship__organisation", "relationship__facility")
        .order_by("relationship__pk", "code")
    )
    return [
        Concern(state.relationship, *flags.CONCERNS[state.code])
        for state in standing
        if state.code in flags.CONCERNS
    ]


@dataclass(frozen=True)
class HistoryItem:
    when: datetime
    kind: Promise
    buyer: Organisation
    text: str
    link: tuple[str, int] | None = None  # a workspace page's name and the id it takes


def history_of(supplier: Organisation) -> list[HistoryItem]:
    """What the supplier has told its buyers, newest first: answers, disclosures, progress
    reports and acknowledged codes. One query each, whatever their number."""
    relationships = {
        r.pk: r for r in Relationship.objects.shared_with(supplier).select_related("organisation")
    }
    answered = Request.objects.shared_with(supplier).filter(answered_at__isnull=False)
    items = [
        HistoryItem(
            r.answered_at,
            Request.State(r.state).label,
            relationships[r.relationship_id].organisation,
            f"{isolate(in_reader_language(r.text, r.text_zh)[:80])} → {isolate(r.answer)}",
            ("workspace_request", r.pk),
        )
        for r in answered
        if r.answered_at is not None and r.relationship_id in relationships
    ]
    disclosed = Evidence.objects.filter(
        disclosed_by_supplier=True,
        origin__in=[f"engagement.relationship:{pk}" for pk in relationships],
    )
    for evidence in disclosed:
        pk = int(evidence.origin.rpartition(":")[2])
        items.append(
            HistoryItem(
                evidence.recorded_at,
                _("Problem disclosed"),
                relationships[pk].organisation,
                isolate(evidence.summary),
            )
        )
    reports = Update.objects.filter(shared_with(Update, supplier), by_supplier=True)
    for update in reports.select_related("action__plan"):
        items.append(
            HistoryItem(
                update.created_at,
                _("Progress reported"),
                relationships[update.action.plan.relationship_id].organisation,
                isolate(local_title(update.action))
                + pgettext("after a label", ": ")
                + isolate(update.text),
                ("workspace_action", update.action_id),
            )
        )
    acknowledged = Commitment.objects.shared_with(supplier).filter(acknowledged_at__isnull=False)
    for commitment in acknowledged.select_related("code"):
        items.append(
            HistoryItem(
                commitment.acknowledged_at or commitment.sent_at,
                _("Code of conduct acknowledged"),
                relationships[commitment.relationship_id].organisation,
                isolate(str(commitment.code)),
                ("workspace_commitment", commitment.pk),
            )
        )
    return sorted(items, key=lambda item: item.when, reverse=True)


# StoneBridge default: a search by name lists at most this many organisations, and needs this
# many characters, so that it finds a company rather than lists the platform.
SUPPLIERS_FOUND = 20
SEARCH_MIN_LENGTH = 2


def supplier_choices(organisation: Organisation, search: str = "") -> QuerySet[Organisation]:
    """The suppliers' organisations a buyer may name on a relationship: those linked to a
    facility of its chain (the facility's credit code, or the supplier that accepted a
    relationship there), those it already works with, and those an explicit search finds by
    credit code or name. Never the whole list: who else uses StoneBridge is not every buyer's
    to browse."""
    chain = Facility.objects.filter(positions__organisation=organisation)
    linked = (
        Q(credit_code__in=chain.exclude(credit_code=None).values("credit_code"))
        | Q(
            pk__in=Relationship.objects.filter(
                facility__in=chain, supplier_accepted_at__isnull=False
            ).values("supplier")
        )
        | Q(pk__in=Relationship.objects.filter(organisation=organisation).values("supplier"))
        | Q(pk__in=suppliers_found(search))
    )
    return Organisation.objects.filter(linked, kind=Organisation.Kind.SUPPLIER).order_by("name")


def suppliers_found(search: str) -> list[int]:
    """The suppliers' organisations a search names: its exact credit code, or a part of its
    name in English or Chinese."""
    search = search.strip()
    if len(search) < SEARCH_MIN_LENGTH:
        return []
    by_name = Q(name__icontains=search) | Q(name_zh__icontains=search)
    found = Organisation.objects.filter(
        by_name | Q(credit_code=normalise_credit_code(search)), kind=Organisation.Kind.SUPPLIER
    )
    return list(found.values_list("pk", flat=True)[:SUPPLIERS_FOUND])


def supplier_known(credit_code: str, email: str) -> Organisation | None:
    """The organisation a buyer's invitation names when it is already on StoneBridge: by its
    credit code, otherwise one without a code whose people include the address, or to which
    the address was invited."""
    by_code = Organisation.objects.filter(credit_code=credit_code).first()
    if by_code is not None:
        return by_code
    without_code = Organisation.objects.filter(
        credit_code=None, kind=Organisation.Kind.SUPPLIER
    ).order_by("pk")
    return (
        without_code.filter(memberships__user__email__iexact=email).first()
        or without_code.filter(invitations__in=Invitation.objects.pending().filter(email=email))
        .distinct()
        .first()
    )
