"""The buyer's side of engagement over the API: relationships, red flags, plans and their
actions, measures and readings, support, escalation and exit. The supplier works in its
workspace pages."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from stonebridge.accounts.access import get_scoped_or_404, get_shared_or_404, membership_for, scoped
from stonebridge.accounts.api import ERRORS, ApiRequest
from stonebridge.accounts.models import Membership, Role, User
from stonebridge.inputs import Id
from stonebridge.pages import Pages
from stonebridge.risk.models import Evidence, Issue
from stonebridge.supplychain.models import Facility

from . import flags, queries
from .models import (
    OPEN_STATUSES,
    Action,
    Code,
    Commitment,
    DueDateChange,
    Escalation,
    ExitPlan,
    Measure,
    Order,
    Plan,
    Reading,
    Relationship,
    Request,
    Support,
)
from .schemas import (
    ActionFilters,
    ActionIn,
    ActionOut,
    CodeIn,
    CodeOut,
    CommentIn,
    DueDateChangeOut,
    DueDateDecisionIn,
    EscalationIn,
    EscalationOut,
    ExitPlanIn,
    ExitPlanOut,
    ExitPlanState,
    MeasureIn,
    MeasureOut,
    OrderIn,
    OrderOut,
    PlanDetailOut,
    PlanIn,
    PlanOut,
    ReadingIn,
    ReadingOut,
    ReasonIn,
    RedFlagsOut,
    RelationshipDetailOut,
    RelationshipIn,
    RelationshipOut,
    RequestIn,
    RequestOut,
    SupportIn,
    SupportOut,
    VerifyIn,
)
from .services import disclosure, escalation, measures, plans, relationships, support

router = Router(tags=["engagement"])

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
    return scoped(Action.objects.select_related("plan"), membership)


def _action(membership: Membership, action_id: int) -> Action:
    return get_scoped_or_404(
        Action.objects.select_related("plan__relationship"),
        membership,
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
def relationship_list(request: ApiRequest, org: str) -> QuerySet[Relationship]:
    membership = membership_for(request.auth, org)
    return _relationships(membership)


@router.post("/organisations/{org}/relationships", response={201: RelationshipDetailOut, **ERRORS})
def relationship_create(
    request: ApiRequest, org: str, payload: RelationshipIn
) -> Status[Relationship]:
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    facility = get_shared_or_404(Facility.objects.all(), pk=payload.facility_id)
    supplier = None
    if payload.supplier:
        # The page's choice: suppliers linked to the chain, or found by a search. Any other
        # slug, known or not, gets the same answer: who else uses StoneBridge is not for
        # every buyer to probe.
        supplier = (
            queries.supplier_choices(membership.organisation, payload.find)
            .filter(slug=payload.supplier)
            .first()
        )
        if supplier is None:
            raise ValidationError(
                {
                    "supplier": _(
                        "Choose a supplier's organisation linked to your chain, or find it by "
                        "its credit code or name."
                    )
                }
            )
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
def relationship_detail(request: ApiRequest, org: str, relationship_id: Id) -> Relationship:
    membership = membership_for(request.auth, org)
    return _relationship_detail(membership, relationship_id)


@router.get(
    "/organisations/{org}/relationships/{relationship_id}/red-flags",
    response={200: RedFlagsOut, **ERRORS},
)
def red_flag_list(request: ApiRequest, org: str, relationship_id: Id) -> dict[str, Any]:
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
def plan_list(request: ApiRequest, org: str, relationship_id: Id) -> QuerySet[Plan]:
    membership = membership_for(request.auth, org)
    return _relationship(membership, relationship_id).plans.select_related("facility")


@router.post(
    "/organisations/{org}/relationships/{relationship_id}/plans",
    response={201: PlanDetailOut, **ERRORS},
)
def plan_create(
    request: ApiRequest, org: str, relationship_id: Id, payload: PlanIn
) -> Status[Plan]:
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
    plan = get_scoped_or_404(Plan.objects.with_parts(), membership, pk=plan_id)
    # Read by PlanDetailOut, like an annotation.
    plan.progress = queries.plan_progress(plan)  # type: ignore[attr-defined]
    return plan


@router.get("/organisations/{org}/plans/{plan_id}", response={200: PlanDetailOut, **ERRORS})
def plan_detail(request: ApiRequest, org: str, plan_id: Id) -> Plan:
    """The plan with its actions, their measures and readings."""
    membership = membership_for(request.auth, org)
    return _plan_detail(membership, plan_id)


@router.post("/organisations/{org}/plans/{plan_id}/actions", response={201: ActionOut, **ERRORS})
def action_create(request: ApiRequest, org: str, plan_id: Id, payload: ActionIn) -> Status[Action]:
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    plan = get_scoped_or_404(Plan.objects.with_parts(), membership, pk=plan_id)
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
        description_zh=payload.description_zh,
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
def action_list(request: ApiRequest, org: str, filters: Query[ActionFilters]) -> QuerySet[Action]:
    """Actions of every plan, soonest due first; remediation stays here after an exit."""
    membership = membership_for(request.auth, org)
    actions = _actions(membership)
    if filters.status:
        actions = actions.filter(status=filters.status)
    if filters.overdue:
        actions = actions.overdue(timezone.localdate())  # type: ignore[attr-defined]
    return actions


@router.post("/organisations/{org}/actions/{action_id}/verify", response={200: ActionOut, **ERRORS})
def action_verify(request: ApiRequest, org: str, action_id: Id, payload: VerifyIn) -> Action:
    """Confirm the action was done; the risk register records it as remediation."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    action = _action(membership, action_id)
    return plans.action_verify(action=action, by=request.auth, note=payload.note)


@router.post(
    "/organisations/{org}/actions/{action_id}/measures", response={201: MeasureOut, **ERRORS}
)
def measure_add(
    request: ApiRequest, org: str, action_id: Id, payload: MeasureIn
) -> Status[Measure]:
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    action = _action(membership, action_id)
    measure = measures.measure_add(action=action, by=request.auth, **payload.dict())
    return Status(201, measure)


@router.post(
    "/organisations/{org}/measures/{measure_id}/readings", response={201: ReadingOut, **ERRORS}
)
def reading_record(
    request: ApiRequest, org: str, measure_id: Id, payload: ReadingIn
) -> Status[Reading]:
    """A value measured by the buyer: it counts at once (a supplier's waits for confirmation)."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    measure = get_scoped_or_404(
        Measure.objects.select_related("action__plan__relationship"),
        membership,
        pk=measure_id,
    )
    reading = measures.reading_record(
        measure=measure, by=request.auth, by_supplier=False, **payload.dict()
    )
    return Status(201, reading)


@router.post(
    "/organisations/{org}/actions/{action_id}/comments", response={201: ActionOut, **ERRORS}
)
def action_comment(
    request: ApiRequest, org: str, action_id: Id, payload: CommentIn
) -> Status[Action]:
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
def action_cancel(request: ApiRequest, org: str, action_id: Id, payload: ReasonIn) -> Action:
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    action = _action(membership, action_id)
    return plans.action_cancel(action=action, by=request.auth, reason=payload.reason)


@router.post(
    "/organisations/{org}/readings/{reading_id}/confirm", response={200: ReadingOut, **ERRORS}
)
def reading_confirm(request: ApiRequest, org: str, reading_id: Id) -> Reading:
    """Confirm a supplier's measurement: it then counts in the risk register."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    reading = get_scoped_or_404(
        Reading.objects.select_related("measure__action__plan__relationship"),
        membership,
        pk=reading_id,
    )
    return measures.reading_confirm(reading=reading, by=request.auth)


@router.post(
    "/organisations/{org}/due-dates/{change_id}/decide", response={200: DueDateChangeOut, **ERRORS}
)
def due_date_decide(
    request: ApiRequest, org: str, change_id: Id, payload: DueDateDecisionIn
) -> DueDateChange:
    """Accept or decline the supplier's proposal to move an action's due date."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    change = get_scoped_or_404(
        DueDateChange.objects.select_related("action__plan__relationship"),
        membership,
        pk=change_id,
    )
    return plans.due_date_decide(change=change, by=request.auth, accept=payload.accept)


# --- code of conduct -------------------------------------------------------------------------


def _codes(membership: Membership) -> QuerySet[Code]:
    return scoped(Code.objects.annotate(sent=Count("commitments")), membership).order_by("-version")


@router.get("/organisations/{org}/codes", response=list[CodeOut])
@paginate(Pages)
def code_list(request: ApiRequest, org: str) -> QuerySet[Code]:
    """The versions of the code of conduct, newest first."""
    membership = membership_for(request.auth, org)
    return _codes(membership)


@router.post("/organisations/{org}/codes", response={201: CodeOut, **ERRORS})
def code_publish(request: ApiRequest, org: str, payload: CodeIn) -> Status[Code]:
    """Publish a new version of the code of conduct, as the page does: a change is a new
    version, and the versions already sent stay as the suppliers acknowledged them. Send it
    to a supplier on the relationship's page."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    code = relationships.code_publish(
        organisation=membership.organisation, by=request.auth, **payload.dict()
    )
    return Status(201, _codes(membership).get(pk=code.pk))


# --- requests ---------------------------------------------------------------------------------


@router.get(
    "/organisations/{org}/relationships/{relationship_id}/requests", response=list[RequestOut]
)
@paginate(Pages)
def request_list(request: ApiRequest, org: str, relationship_id: Id) -> QuerySet[Request]:
    membership = membership_for(request.auth, org)
    return _relationship(membership, relationship_id).requests.all()


@router.post(
    "/organisations/{org}/relationships/{relationship_id}/requests",
    response={201: RequestOut, **ERRORS},
)
def request_create(
    request: ApiRequest, org: str, relationship_id: Id, payload: RequestIn
) -> Status[Request]:
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
def support_list(request: ApiRequest, org: str, relationship_id: Id) -> QuerySet[Support]:
    membership = membership_for(request.auth, org)
    return _relationship(membership, relationship_id).support.prefetch_related("actions")


@router.post(
    "/organisations/{org}/relationships/{relationship_id}/support",
    response={201: SupportOut, **ERRORS},
)
def support_record(
    request: ApiRequest, org: str, relationship_id: Id, payload: SupportIn
) -> Status[Support]:
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


# --- purchasing practices -------------------------------------------------------------------


@router.get("/organisations/{org}/relationships/{relationship_id}/orders", response=list[OrderOut])
@paginate(Pages)
def order_list(request: ApiRequest, org: str, relationship_id: Id) -> QuerySet[Order]:
    """Orders placed with the supplier, newest first: their lead time, changes, price and
    payment terms feed the purchasing red flags."""
    membership = membership_for(request.auth, org)
    return _relationship(membership, relationship_id).orders.all()


@router.post(
    "/organisations/{org}/relationships/{relationship_id}/orders",
    response={201: OrderOut, **ERRORS},
)
def order_record(
    request: ApiRequest, org: str, relationship_id: Id, payload: OrderIn
) -> Status[Order]:
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    relationship = _relationship(membership, relationship_id)
    order = support.order_record(relationship=relationship, by=request.auth, **payload.dict())
    return Status(201, order)


@router.put("/organisations/{org}/orders/{order_id}", response={200: OrderOut, **ERRORS})
def order_update(request: ApiRequest, org: str, order_id: Id, payload: OrderIn) -> Order:
    """Correct an order or record a change to it."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    order = get_scoped_or_404(Order.objects.select_related("relationship"), membership, pk=order_id)
    return support.order_update(order=order, by=request.auth, **payload.dict())


# --- escalation and exit ----------------------------------------------------------------------


@router.post(
    "/organisations/{org}/relationships/{relationship_id}/escalations",
    response={201: EscalationOut, **ERRORS},
)
def escalation_take(
    request: ApiRequest, org: str, relationship_id: Id, payload: EscalationIn
) -> Status[Escalation]:
    """A step taken because engagement stalls; exit goes through an exit plan instead."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    relationship = _relationship(membership, relationship_id)
    taken = escalation.escalation_take(relationship=relationship, by=request.auth, **payload.dict())
    return Status(201, taken)


@router.get(
    "/organisations/{org}/relationships/{relationship_id}/exit-plan",
    response={200: ExitPlanState, **ERRORS},
)
def exit_plan_detail(
    request: ApiRequest, org: str, relationship_id: Id
) -> dict[str, ExitPlan | None]:
    """The exit plan, or `{"exit_plan": null}` while none is made."""
    membership = membership_for(request.auth, org)
    relationship = _relationship(membership, relationship_id)
    return {"exit_plan": ExitPlan.objects.filter(relationship=relationship).first()}


@router.post(
    "/organisations/{org}/relationships/{relationship_id}/exit-plan",
    response={201: ExitPlanOut, **ERRORS},
)
def exit_plan_create(
    request: ApiRequest, org: str, relationship_id: Id, payload: ExitPlanIn
) -> Status[ExitPlan]:
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
def exit_complete(request: ApiRequest, org: str, relationship_id: Id) -> ExitPlan:
    """End the relationship. Open remediation actions stay open until they are fulfilled."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    exit_plan = get_scoped_or_404(
        ExitPlan.objects.select_related("relationship"),
        membership,
        relationship_id=relationship_id,
    )
    return escalation.exit_complete(exit_plan=exit_plan, by=request.auth)
