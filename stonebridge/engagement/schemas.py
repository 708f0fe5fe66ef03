"""What the engagement API reads and returns: one schema per shape, the routes in api.py."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import WithJsonSchema

from stonebridge.inputs import Id, Input, PositiveInteger, PositiveSmallInteger, Quantity

from .models import (
    ActionKind,
    ActionStatus,
    Commitment,
    Escalation,
    ExitPlan,
    Measure,
    Order,
    Plan,
    Relationship,
    Request,
    Support,
)

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


def in_english(what: str, chinese_field: str) -> str:
    """The description of a text's English field, which used to take either language."""
    return (
        f"{what}, in English. Deprecated use, accepted until the next release: a text with "
        f"Chinese characters sent here while {chinese_field} is empty is stored as "
        f"{chinese_field}."
    )


class RelationshipIn(Input):
    facility_id: Id
    supplier: str | None = Field(
        None,
        description=(
            "Slug of the supplier's organisation: one linked to a facility of your chain or "
            "that you already work with, or one that `find` finds"
        ),
    )
    find: str = Field(
        "",
        max_length=100,
        description=(
            "A search for a supplier outside your chain, as on the page: its credit code, or a "
            "part of its name in English or Chinese"
        ),
    )
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
    code_title_zh: str = Field(..., alias="code.title_zh")
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
    title: str = Field(
        "",
        max_length=200,
        description=in_english("Title", "title_zh")
        + " Give title, title_zh or both; optional with a programme.",
    )
    title_zh: str = Field("", max_length=200, description="Title, in Chinese.")
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
    note_zh: str
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
    description_zh: str
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
    title: str = Field(
        "",
        max_length=200,
        description=in_english("What will be done", "title_zh") + " Give title, title_zh or both.",
    )
    title_zh: str = Field("", max_length=200, description="What will be done, in Chinese.")
    issue: str = Field(..., description="Code of a salient issue, see /api/risk/issues")
    kind: ActionKind = ActionKind.CORRECTIVE
    due_on: date
    description: str = Field("", description=in_english("Details", "description_zh"))
    description_zh: str = Field("", description="Details, in Chinese.")
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
    title: str = Field(
        "",
        max_length=200,
        description=in_english("What is measured", "title_zh")
        + " A milestone, or an outcome without an indicator, needs title, title_zh or both.",
    )
    title_zh: str = Field("", max_length=200, description="What is measured, in Chinese.")
    indicator: str = Field("", description="An outcome indicator code, e.g. weekly_hours")
    unit: str = Field("", max_length=30)
    lower_is_better: bool | None = Field(None, description="Default: the indicator's")
    baseline: Quantity | None = None
    target: Quantity | None = None
    due_on: date | None = None


class ReadingIn(Input):
    measured_on: date
    value: Quantity
    note: str = Field("", max_length=300, description=in_english("How it was measured", "note_zh"))
    note_zh: str = Field("", max_length=300, description="How it was measured, in Chinese.")


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


class CodeIn(Input):
    """A new version of the code of conduct; the versions already sent stay as they were."""

    title: str = Field(
        "", max_length=200, description=in_english("Title", "title_zh") + " Optional."
    )
    title_zh: str = Field("", max_length=200, description="Title, in Chinese.")
    text_en: str = Field(..., min_length=1, description="The code, in English.")
    text_zh: str = Field(..., min_length=1, description="The code, in Chinese.")


class CodeOut(Schema):
    id: int
    version: int
    title: str
    title_zh: str
    text_en: str
    text_zh: str
    created_at: datetime
    sent: int = Field(..., description="To how many suppliers this version was sent")


class RequestIn(Input):
    kind: RequestKind
    text: str = Field(
        "",
        description=(
            "What you ask, in English. Deprecated use, accepted until the next release: a "
            "text with Chinese characters sent here while text_zh is empty is stored as "
            "text_zh. Give text, text_zh or both."
        ),
    )
    text_zh: str = Field("", description="What you ask, in Chinese.")
    due_on: date


class RequestOut(Schema):
    id: int
    relationship_id: int
    kind: str
    text: str
    text_zh: str
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
    """The supplier reads these texts: give reason and wind_down in English, Chinese or both."""

    reason: str = Field("", description=in_english("Why the relationship ends", "reason_zh"))
    reason_zh: str = Field("", description="Why the relationship ends, in Chinese.")
    decided_on: date
    notice_days: PositiveSmallInteger
    workers_affected: PositiveInteger
    wind_down: str = Field("", description=in_english("How orders wind down", "wind_down_zh"))
    wind_down_zh: str = Field("", description="How orders wind down, in Chinese.")
    workers_note: str = Field(
        "", description=in_english("How the workers are protected", "workers_note_zh")
    )
    workers_note_zh: str = Field("", description="How the workers are protected, in Chinese.")
    red_flags: list[FlagCode] = []
    last_order_on: date | None = None


class ExitPlanOut(Schema):
    id: int
    relationship_id: int
    reason: str
    reason_zh: str
    red_flags: list[str]
    decided_on: date
    notice_days: int
    ends_on: date
    workers_affected: int
    workers_note: str
    workers_note_zh: str
    wind_down: str
    wind_down_zh: str
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
    note: str = Field("", description=in_english("What happened", "note_zh"))
    note_zh: str = Field("", description="What happened, in Chinese.")


class EscalationOut(Schema):
    id: int
    relationship_id: int
    step: str
    taken_on: date
    note: str
    note_zh: str
    relationship_status: str = Field(..., alias="relationship.status")


# --- purchasing practices ---------------------------------------------------------------------


class OrderIn(Input):
    reference: str = Field(..., min_length=1, max_length=60)
    placed_on: date
    delivery_due_on: date = Field(..., description="Lead time: from placed_on to this date")
    last_changed_on: date | None = None
    changes: PositiveSmallInteger = Field(0, description="How often the order was changed")
    payment_days: PositiveSmallInteger = Field(..., description="Payment terms in days")
    quantity: Quantity
    unit: str = Field(..., min_length=1, max_length=10)
    unit_price: Quantity
    labour_cost_per_unit: Quantity | None = Field(
        None, description="The supplier's stated labour cost per unit"
    )
    currency: str = Field(..., min_length=3, max_length=3)


class OrderOut(Schema):
    id: int
    relationship_id: int
    reference: str
    placed_on: date
    delivery_due_on: date
    lead_time_days: int
    last_changed_on: date | None
    changes: int
    payment_days: int
    quantity: Decimal
    unit: str
    unit_price: Decimal
    labour_cost_per_unit: Decimal | None
    currency: str

    @staticmethod
    def resolve_lead_time_days(obj: Order) -> int:
        return (obj.delivery_due_on - obj.placed_on).days


# --- the supplier's workspace -----------------------------------------------------------------


class SharingAnswerIn(Input):
    accept: bool


class SharedRelationshipOut(Schema):
    """A relationship as its supplier sees it: the buyer and the site, never the buyer's
    counts."""

    id: int
    buyer: str = Field(..., alias="organisation.name")
    facility_id: int
    facility_name: str
    status: str
    accepted: bool = Field(..., alias="shared")

    @staticmethod
    def resolve_facility_name(obj: Relationship) -> str:
        return str(obj.facility)


class ReportIn(Input):
    text: str = Field(..., min_length=1)
    status: Literal["", "in_progress", "reported_done"] = Field(
        "", description='"reported_done" asks the buyer to verify; "" leaves the status'
    )


class ReportOut(Schema):
    id: int
    action_id: int
    text: str
    status: str
    action_status: str = Field(..., alias="action.status")
    created_at: datetime


class DueDateProposalIn(Input):
    proposed_due_on: date
    reason: str = Field(..., min_length=1)


class DisclosureIn(Input):
    issue: str = Field(..., description="Code of a salient issue, see /api/risk/issues")
    indicator: str = Field("", description="An indicator code of that issue, or empty")
    summary: str = Field(..., min_length=1)
    observed_on: date
    people_affected: PositiveInteger | None = None


class DisclosureOut(Schema):
    id: int
    issue: str = Field(..., alias="issue_id")
    summary: str
    observed_on: date
    people_affected: int | None
