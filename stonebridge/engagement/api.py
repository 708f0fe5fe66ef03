"""The buyer's side of engagement over the API: relationships, red flags, plans and their
actions, measures and readings, support, escalation and exit. The supplier works in its
workspace pages."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import WithJsonSchema

from stonebridge.accounts.access import get_scoped_or_404, get_shared_or_404, membership_for, scoped
from stonebridge.accounts.api import ERRORS
from stonebridge.accounts.models import Membership, Organisation, Role, User
from stonebridge.inputs import Id, Input, PositiveInteger, PositiveSmallInteger, Quantity
from stonebridge.paging import Pages
from stonebridge.risk.models import Evidence, Issue
from stonebridge.supplychain.models import Facility

from . import flags, queries
from .models import (
    OPEN_STATUSES,
    Action,
    ActionKind,
    ActionStatus,
    Commitment,
    DueDateChange,
    Escalation,
    ExitPlan,
    Measure,
    Plan,
    Reading,
    Relationship,
    Request,
    Support,
)
from .services import disclosure, escalation, measures, plans, relationships, support

router = Router(tags=["engagement"])

ACTION_OWNER = "plan__relationship__organisation"

# Inline, not a shared "$ref": several models call their choices "Kind", and the OpenAPI
# components would overwrite one another.
MeasureKind = Annotated[
    Measure.Kind, WithJsonSchema({"type": "string", "enum": list(Measure.Kind.values)})
]
SupportKind = Annotated[
    Support.Kind, WithJsonSchema({"type": "string", "enum": list(Support.Kind.values)})
]
RequestKind = Annotated[
    Request.Kind, WithJsonSchema({"type": "string", "enum": list(Request.Kind.values)})
]
FlagCode = Literal[
    "refusal_to_engage", "refusal_of_transparency", "no_improvement", "systematic_irremediable"
]


# --- schemas ----------------------------------------------------------------------------------


class RelationshipIn(Input):
    facility_id: Id
    supplier: str | None = Field(None, description="Slug of the supplier's organisation")
    improvement_period_days: PositiveSmallInteger | None = Field(
        None, description="Days to show improvement (30-1825); StoneBridge default: 365"
    )


class RelationshipOut(Schema):
    id: int
    facility_id: int
    facility_name: str
    supplier: str | None = Field(None, alias="supplier.slug")
    supplier_name: str | None = Field(None, alias="supplier.name")
    status: str
    improvement_period_days: int
    created_at: datetime
    plans: int = Field(..., alias="plan_count")
    open_actions: int = Field(..., alias="open_action_count")

    @staticmethod
    def resolve_facility_name(obj: Relationship) -> str:
        return str(obj.facility)


class CommitmentOut(Schema):
    id: int
    code_version: int = Field(..., alias="code.version")
    code_title: str = Field(..., alias="code.title")
    sent_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None = Field(None, description="Name of who acknowledged it")

    @staticmethod
    def resolve_acknowledged_by(obj: Commitment) -> str | None:
        return str(obj.acknowledged_by) if obj.acknowledged_by else None


class RelationshipDetailOut(RelationshipOut):
    commitments: list[CommitmentOut]


class FactOut(Schema):
    text: str
    ref: str = Field(..., description='What it refers to: "request:12", "action:4", …; or ""')


class FlagOut(Schema):
    code: str
    title: str
    raised: bool
    evidence_for: list[FactOut]
    evidence_against: list[FactOut]


class RedFlagsOut(Schema):
    relationship_id: int
    flags: list[FlagOut]
    steps_taken: list[str]
    next_step: str | None = Field(None, description="The escalation step to consider next")


class PlanIn(Input):
    title: str = Field("", max_length=200, description="Optional with a programme")
    title_zh: str = Field("", max_length=200)
    facility_id: Id | None = Field(None, description="Default: the supplier's own site")
    starts_on: date | None = None
    programme: str = Field("", description="Start from an engagement model, e.g. ohs_system")


class PlanOut(Schema):
    id: int
    relationship_id: int
    facility_id: int
    facility_name: str
    title: str
    title_zh: str
    programme: str
    starts_on: date
    state: str
    created_at: datetime

    @staticmethod
    def resolve_facility_name(obj: Plan) -> str:
        return str(obj.facility)


class ReadingOut(Schema):
    id: int
    measured_on: date
    value: Decimal
    note: str
    by_supplier: bool
    confirmed_at: datetime | None


class MeasureOut(Schema):
    id: int
    action_id: int
    kind: str
    title: str
    title_zh: str
    indicator: str
    unit: str
    lower_is_better: bool
    baseline: Decimal | None
    target: Decimal | None
    due_on: date | None
    achieved_on: date | None
    source: str
    readings: list[ReadingOut]


class ActionOut(Schema):
    id: int
    plan_id: int
    relationship_id: int = Field(..., alias="plan.relationship_id")
    kind: str
    title: str
    title_zh: str
    description: str
    issue: str = Field(..., alias="issue_id")
    finding_id: int | None
    buyer_owner_id: int | None
    supplier_owner_id: int | None
    due_on: date
    status: str
    verified_at: datetime | None
    created_at: datetime


class ActionDetailOut(ActionOut):
    measures: list[MeasureOut]


class PlanDetailOut(PlanOut):
    actions: list[ActionDetailOut] = Field(..., alias="progress.actions")
    milestones_total: int = Field(..., alias="progress.milestones_total")
    milestones_done: int = Field(..., alias="progress.milestones_done")
    actions_done: int = Field(..., alias="progress.actions_done")
    only_milestones: bool = Field(
        ...,
        alias="progress.only_milestones",
        description="No outcome in workers' conditions is measured: a weak plan",
    )


class ActionIn(Input):
    title: str = Field(..., min_length=1, max_length=200)
    title_zh: str = Field("", max_length=200)
    issue: str = Field(..., description="Code of a salient issue, see /api/risk/issues")
    kind: ActionKind = ActionKind.CORRECTIVE
    due_on: date
    description: str = ""
    finding_id: Id | None = Field(None, description="The finding (evidence) it answers")
    buyer_owner_id: Id | None = None
    supplier_owner_id: Id | None = None


class ActionFilters(Input):
    status: ActionStatus | None = None
    overdue: bool = Field(False, description="true: only open actions past their due date")


class VerifyIn(Input):
    note: str = Field("", description="How it was verified; becomes the evidence's summary")


class MeasureIn(Input):
    kind: MeasureKind
    title: str = Field("", max_length=200)
    title_zh: str = Field("", max_length=200)
    indicator: str = Field("", description="An outcome indicator code, e.g. weekly_hours")
    unit: str = Field("", max_length=30)
    lower_is_better: bool | None = Field(None, description="Default: the indicator's")
    baseline: Quantity | None = None
    target: Quantity | None = None
    due_on: date | None = None


class ReadingIn(Input):
    measured_on: date
    value: Quantity
    note: str = Field("", max_length=300)


class CommentIn(Input):
    text: str = Field(..., min_length=1)
    send_back: bool = Field(False, description="Send an action reported done back to in progress")


class ReasonIn(Input):
    reason: str = Field(..., min_length=1)


class DueDateDecisionIn(Input):
    accept: bool


class DueDateChangeOut(Schema):
    id: int
    action_id: int
    current_due_on: date
    proposed_due_on: date
    reason: str
    decision: str


class RequestIn(Input):
    kind: RequestKind
    text: str = Field(..., min_length=1)
    due_on: date


class RequestOut(Schema):
    id: int
    relationship_id: int
    kind: str
    text: str
    due_on: date
    state: str
    answer: str
    answered_at: datetime | None


class SupportIn(Input):
    kind: SupportKind
    description: str = Field(..., min_length=1)
    given_on: date
    amount: Quantity | None = None
    currency: str = Field("", max_length=3)
    actions: list[Id] = Field([], description="Ids of the actions of this relationship it supports")


class SupportOut(Schema):
    id: int
    relationship_id: int
    kind: str
    description: str
    given_on: date
    amount: Decimal | None
    currency: str
    actions: list[int]

    @staticmethod
    def resolve_actions(obj: Support) -> list[int]:
        return [action.pk for action in obj.actions.all()]


class ExitPlanIn(Input):
    reason: str = Field(..., min_length=1)
    decided_on: date
    notice_days: PositiveSmallInteger
    workers_affected: PositiveInteger
    wind_down: str = Field(..., min_length=1)
    workers_note: str = ""
    red_flags: list[FlagCode] = []
    last_order_on: date | None = None


class ExitPlanOut(Schema):
    id: int
    relationship_id: int
    reason: str
    red_flags: list[str]
    decided_on: date
    notice_days: int
    ends_on: date
    workers_affected: int
    workers_note: str
    wind_down: str
    last_order_on: date | None
    completed_at: datetime | None

    @staticmethod
    def resolve_red_flags(obj: ExitPlan) -> list[str]:
        return [code for code in obj.red_flags.split(",") if code]


class ExitPlanState(Schema):
    exit_plan: ExitPlanOut | None = Field(None, description="null: no exit is planned")


class EscalationIn(Input):
    step: Escalation.Step
    taken_on: date
    note: str = ""


class EscalationOut(Schema):
    id: int
    relationship_id: int
    step: str
    taken_on: date
    note: str
    relationship_status: str = Field(..., alias="relationship.status")


# --- loading ----------------------------------------------------------------------------------


def _relationships(membership: Membership) -> QuerySet[Relationship]:
    return queries.relationships_for(membership.organisation).annotate(
        plan_count=Count("plans", distinct=True),
        open_action_count=Count(
            "plans__actions",
            filter=Q(plans__actions__status__in=OPEN_STATUSES),
            distinct=True,
        ),
    )


def _relationship(membership: Membership, relationship_id: int) -> Relationship:
    return get_scoped_or_404(Relationship.objects.all(), membership, pk=relationship_id)


def _actions(membership: Membership) -> QuerySet[Action]:
    return scoped(Action.objects.select_related("plan"), membership, ACTION_OWNER)


def _action(membership: Membership, action_id: int) -> Action:
    return get_scoped_or_404(
        Action.objects.select_related("plan__relationship"),
        membership,
        through=ACTION_OWNER,
        pk=action_id,
    )


def _person(user_id: int | None, field: str, message: str) -> User | None:
    # Someone unknown gets the same answer as someone of another organisation.
    if user_id is None:
        return None
    person = User.objects.filter(pk=user_id).first()
    if person is None:
        raise ValidationError({field: message})
    return person


# --- relationships ----------------------------------------------------------------------------


@router.get("/organisations/{org}/relationships", response=list[RelationshipOut])
@paginate(Pages)
def relationship_list(request: HttpRequest, org: str):  # type: ignore[no-untyped-def]
    membership = membership_for(request.auth, org)
    return _relationships(membership)


@router.post("/organisations/{org}/relationships", response={201: RelationshipDetailOut, **ERRORS})
def relationship_create(request: HttpRequest, org: str, payload: RelationshipIn):  # type: ignore[no-untyped-def]
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    facility = get_shared_or_404(Facility.objects.all(), pk=payload.facility_id)
    supplier = None
    if payload.supplier:
        supplier = Organisation.objects.filter(
            slug=payload.supplier, kind=Organisation.Kind.SUPPLIER
        ).first()
        if supplier is None:
            raise ValidationError({"supplier": _("Choose a supplier's organisation.")})
    relationship = relationships.relationship_create(
        organisation=membership.organisation,
        by=request.auth,
        facility=facility,
        supplier=supplier,
        improvement_period_days=payload.improvement_period_days,
    )
    return Status(201, _relationship_detail(membership, relationship.pk))


def _relationship_detail(membership: Membership, relationship_id: int) -> Relationship:
    commitments = Commitment.objects.select_related("code", "acknowledged_by")
    return get_scoped_or_404(
        _relationships(membership).prefetch_related(Prefetch("commitments", queryset=commitments)),
        membership,
        pk=relationship_id,
    )


@router.get(
    "/organisations/{org}/relationships/{relationship_id}",
    response={200: RelationshipDetailOut, **ERRORS},
)
def relationship_detail(request: HttpRequest, org: str, relationship_id: Id):  # type: ignore[no-untyped-def]
    membership = membership_for(request.auth, org)
    return _relationship_detail(membership, relationship_id)


@router.get(
    "/organisations/{org}/relationships/{relationship_id}/red-flags",
    response={200: RedFlagsOut, **ERRORS},
)
def red_flag_list(request: HttpRequest, org: str, relationship_id: Id):  # type: ignore[no-untyped-def]
    """The four red flags for disengagement as of today, each with the facts for and against
    it, and the escalation step to consider next."""
    membership = membership_for(request.auth, org)
    relationship = _relationship(membership, relationship_id)
    found = queries.red_flags(relationship, timezone.localdate())
    steps = list(relationship.escalations.values_list("step", flat=True))

    def facts(items: list[flags.Fact]) -> list[dict[str, str]]:
        return [{"text": str(fact), "ref": fact.ref} for fact in items]

    return {
        "relationship_id": relationship.pk,
        "flags": [
            {
                "code": flag.code,
                "title": flag.title,
                "raised": flag.raised,
                "evidence_for": facts(flag.evidence_for),
                "evidence_against": facts(flag.evidence_against),
            }
            for flag in found
        ],
        "steps_taken": steps,
        "next_step": flags.next_step(found, steps),
    }


# --- plans, actions, measures -----------------------------------------------------------------


@router.get("/organisations/{org}/relationships/{relationship_id}/plans", response=list[PlanOut])
@paginate(Pages)
def plan_list(request: HttpRequest, org: str, relationship_id: Id):  # type: ignore[no-untyped-def]
    membership = membership_for(request.auth, org)
    return _relationship(membership, relationship_id).plans.select_related("facility")


@router.post(
    "/organisations/{org}/relationships/{relationship_id}/plans",
    response={201: PlanDetailOut, **ERRORS},
)
def plan_create(request: HttpRequest, org: str, relationship_id: Id, payload: PlanIn):  # type: ignore[no-untyped-def]
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    relationship = _relationship(membership, relationship_id)
    values = payload.dict()
    facility_id = values.pop("facility_id")
    facility = get_shared_or_404(Facility.objects.all(), pk=facility_id) if facility_id else None
    plan = plans.plan_create(
        relationship=relationship, by=request.auth, facility=facility, **values
    )
    return Status(201, _plan_detail(membership, plan.pk))


def _plan_detail(membership: Membership, plan_id: int) -> Plan:
    plan = get_scoped_or_404(
        Plan.objects.with_parts(), membership, through="relationship__organisation", pk=plan_id
    )
    # Read by PlanDetailOut, like an annotation.
    plan.progress = queries.plan_progress(plan)  # type: ignore[attr-defined]
    return plan


@router.get("/organisations/{org}/plans/{plan_id}", response={200: PlanDetailOut, **ERRORS})
def plan_detail(request: HttpRequest, org: str, plan_id: Id):  # type: ignore[no-untyped-def]
    """The plan with its actions, their measures and readings."""
    membership = membership_for(request.auth, org)
    return _plan_detail(membership, plan_id)


@router.post("/organisations/{org}/plans/{plan_id}/actions", response={201: ActionOut, **ERRORS})
def action_create(request: HttpRequest, org: str, plan_id: Id, payload: ActionIn):  # type: ignore[no-untyped-def]
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    plan = get_scoped_or_404(
        Plan.objects.with_parts(), membership, through="relationship__organisation", pk=plan_id
    )
    issue = Issue.objects.filter(pk=payload.issue).first()
    if issue is None:
        raise ValidationError({"issue": _("Unknown code: see /api/risk/issues.")})
    finding = None
    if payload.finding_id is not None:
        finding = get_scoped_or_404(Evidence.objects.all(), membership, pk=payload.finding_id)
    action = plans.action_create(
        plan=plan,
        by=request.auth,
        title=payload.title,
        title_zh=payload.title_zh,
        issue=issue,
        kind=payload.kind,
        due_on=payload.due_on,
        description=payload.description,
        finding=finding,
        buyer_owner=_person(
            payload.buyer_owner_id, "buyer_owner", _("Choose a person of your organisation.")
        ),
        supplier_owner=_person(
            payload.supplier_owner_id,
            "supplier_owner",
            _("Choose a person of the supplier's organisation."),
        ),
    )
    return Status(201, action)


@router.get("/organisations/{org}/actions", response=list[ActionOut])
@paginate(Pages)
def action_list(request: HttpRequest, org: str, filters: Query[ActionFilters]):  # type: ignore[no-untyped-def]
    """Actions of every plan, soonest due first; remediation stays here after an exit."""
    membership = membership_for(request.auth, org)
    actions = _actions(membership)
    if filters.status:
        actions = actions.filter(status=filters.status)
    if filters.overdue:
        actions = actions.overdue(timezone.localdate())  # type: ignore[attr-defined]
    return actions


@router.post("/organisations/{org}/actions/{action_id}/verify", response={200: ActionOut, **ERRORS})
def action_verify(request: HttpRequest, org: str, action_id: Id, payload: VerifyIn):  # type: ignore[no-untyped-def]
    """Confirm the action was done; the risk register records it as remediation."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    action = _action(membership, action_id)
    return plans.action_verify(action=action, by=request.auth, note=payload.note)


@router.post(
    "/organisations/{org}/actions/{action_id}/measures", response={201: MeasureOut, **ERRORS}
)
def measure_add(request: HttpRequest, org: str, action_id: Id, payload: MeasureIn):  # type: ignore[no-untyped-def]
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    action = _action(membership, action_id)
    measure = measures.measure_add(action=action, by=request.auth, **payload.dict())
    return Status(201, measure)


@router.post(
    "/organisations/{org}/measures/{measure_id}/readings", response={201: ReadingOut, **ERRORS}
)
def reading_record(request: HttpRequest, org: str, measure_id: Id, payload: ReadingIn):  # type: ignore[no-untyped-def]
    """A value measured by the buyer: it counts at once (a supplier's waits for confirmation)."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    measure = get_scoped_or_404(
        Measure.objects.select_related("action__plan__relationship"),
        membership,
        through="action__plan__relationship__organisation",
        pk=measure_id,
    )
    reading = measures.reading_record(
        measure=measure, by=request.auth, by_supplier=False, **payload.dict()
    )
    return Status(201, reading)


@router.post(
    "/organisations/{org}/actions/{action_id}/comments", response={201: ActionOut, **ERRORS}
)
def action_comment(request: HttpRequest, org: str, action_id: Id, payload: CommentIn):  # type: ignore[no-untyped-def]
    """A comment to the supplier; optionally sends an action reported done back to in progress."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    action = _action(membership, action_id)
    status = Action.Status.IN_PROGRESS if payload.send_back else ""
    plans.update_post(
        action=action, by=request.auth, by_supplier=False, text=payload.text, status=status
    )
    action.refresh_from_db()
    return Status(201, action)


@router.post("/organisations/{org}/actions/{action_id}/cancel", response={200: ActionOut, **ERRORS})
def action_cancel(request: HttpRequest, org: str, action_id: Id, payload: ReasonIn):  # type: ignore[no-untyped-def]
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    action = _action(membership, action_id)
    return plans.action_cancel(action=action, by=request.auth, reason=payload.reason)


@router.post(
    "/organisations/{org}/readings/{reading_id}/confirm", response={200: ReadingOut, **ERRORS}
)
def reading_confirm(request: HttpRequest, org: str, reading_id: Id):  # type: ignore[no-untyped-def]
    """Confirm a supplier's measurement: it then counts in the risk register."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    reading = get_scoped_or_404(
        Reading.objects.select_related("measure__action__plan__relationship"),
        membership,
        through="measure__action__" + ACTION_OWNER,
        pk=reading_id,
    )
    return measures.reading_confirm(reading=reading, by=request.auth)


@router.post(
    "/organisations/{org}/due-dates/{change_id}/decide", response={200: DueDateChangeOut, **ERRORS}
)
def due_date_decide(request: HttpRequest, org: str, change_id: Id, payload: DueDateDecisionIn):  # type: ignore[no-untyped-def]
    """Accept or decline the supplier's proposal to move an action's due date."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    change = get_scoped_or_404(
        DueDateChange.objects.select_related("action__plan__relationship"),
        membership,
        through="action__" + ACTION_OWNER,
        pk=change_id,
    )
    return plans.due_date_decide(change=change, by=request.auth, accept=payload.accept)


# --- requests ---------------------------------------------------------------------------------


@router.get(
    "/organisations/{org}/relationships/{relationship_id}/requests", response=list[RequestOut]
)
@paginate(Pages)
def request_list(request: HttpRequest, org: str, relationship_id: Id):  # type: ignore[no-untyped-def]
    membership = membership_for(request.auth, org)
    return _relationship(membership, relationship_id).requests.all()


@router.post(
    "/organisations/{org}/relationships/{relationship_id}/requests",
    response={201: RequestOut, **ERRORS},
)
def request_create(request: HttpRequest, org: str, relationship_id: Id, payload: RequestIn):  # type: ignore[no-untyped-def]
    """Ask the supplier a question, for documents, a visit or its sub-contractors."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    relationship = _relationship(membership, relationship_id)
    asked = disclosure.request_create(relationship=relationship, by=request.auth, **payload.dict())
    return Status(201, asked)


# --- support ----------------------------------------------------------------------------------


@router.get(
    "/organisations/{org}/relationships/{relationship_id}/support", response=list[SupportOut]
)
@paginate(Pages)
def support_list(request: HttpRequest, org: str, relationship_id: Id):  # type: ignore[no-untyped-def]
    membership = membership_for(request.auth, org)
    return _relationship(membership, relationship_id).support.prefetch_related("actions")


@router.post(
    "/organisations/{org}/relationships/{relationship_id}/support",
    response={201: SupportOut, **ERRORS},
)
def support_record(request: HttpRequest, org: str, relationship_id: Id, payload: SupportIn):  # type: ignore[no-untyped-def]
    """What the buyer gave, linked to the actions it supports (the no-improvement flag needs
    it before it can be raised)."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    relationship = _relationship(membership, relationship_id)
    values = payload.dict()
    ids = set(values.pop("actions"))
    actions = list(_actions(membership).filter(pk__in=ids))
    if len(actions) != len(ids):
        raise ValidationError({"actions": _("Choose actions of this supplier's plans.")})
    given = support.support_record(
        relationship=relationship, by=request.auth, actions=actions, **values
    )
    return Status(201, given)


# --- escalation and exit ----------------------------------------------------------------------


@router.post(
    "/organisations/{org}/relationships/{relationship_id}/escalations",
    response={201: EscalationOut, **ERRORS},
)
def escalation_take(request: HttpRequest, org: str, relationship_id: Id, payload: EscalationIn):  # type: ignore[no-untyped-def]
    """A step taken because engagement stalls; exit goes through an exit plan instead."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    relationship = _relationship(membership, relationship_id)
    taken = escalation.escalation_take(relationship=relationship, by=request.auth, **payload.dict())
    return Status(201, taken)


@router.get(
    "/organisations/{org}/relationships/{relationship_id}/exit-plan",
    response={200: ExitPlanState, **ERRORS},
)
def exit_plan_detail(request: HttpRequest, org: str, relationship_id: Id):  # type: ignore[no-untyped-def]
    """The exit plan, or `{"exit_plan": null}` while none is made."""
    membership = membership_for(request.auth, org)
    relationship = _relationship(membership, relationship_id)
    return {"exit_plan": ExitPlan.objects.filter(relationship=relationship).first()}


@router.post(
    "/organisations/{org}/relationships/{relationship_id}/exit-plan",
    response={201: ExitPlanOut, **ERRORS},
)
def exit_plan_create(request: HttpRequest, org: str, relationship_id: Id, payload: ExitPlanIn):  # type: ignore[no-untyped-def]
    """Plan a responsible exit: notice, the workers affected, the wind-down of orders."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    relationship = _relationship(membership, relationship_id)
    exit_plan = escalation.exit_plan_create(
        relationship=relationship, by=request.auth, **payload.dict()
    )
    return Status(201, exit_plan)


@router.post(
    "/organisations/{org}/relationships/{relationship_id}/exit-plan/complete",
    response={200: ExitPlanOut, **ERRORS},
)
def exit_complete(request: HttpRequest, org: str, relationship_id: Id):  # type: ignore[no-untyped-def]
    """End the relationship. Open remediation actions stay open until they are fulfilled."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    exit_plan = get_scoped_or_404(
        ExitPlan.objects.select_related("relationship"),
        membership,
        through="relationship__organisation",
        relationship_id=relationship_id,
    )
    return escalation.exit_complete(exit_plan=exit_plan, by=request.auth)
