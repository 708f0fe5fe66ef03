"""The supplier's side of engagement over the API, under its own organisation: what buyers
share with it, its answer to sharing, reports on actions, new due dates it proposes and problems
it discloses. The same services and checks as the workspace pages (`workspace.py`): a row
reaches the supplier only through a relationship naming its organisation, once it accepted;
its viewers read, its editors and owners act, anyone else gets a 404."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from stonebridge.accounts.access import get_as_supplier_or_404, membership_for
from stonebridge.accounts.api import ERRORS, ApiRequest
from stonebridge.accounts.models import Membership, Role
from stonebridge.inputs import Id
from stonebridge.pages import Pages
from stonebridge.risk.models import Evidence, Issue

from .models import Action, DueDateChange, Relationship, Update
from .schemas import (
    ActionOut,
    DisclosureIn,
    DisclosureOut,
    DueDateChangeOut,
    DueDateProposalIn,
    ReportIn,
    ReportOut,
    SharedRelationshipOut,
    SharingAnswerIn,
)
from .services import disclosure, plans, relationships

router = Router(tags=["workspace"])


def _action(membership: Membership, action_id: int) -> Action:
    return get_as_supplier_or_404(
        Action.objects.select_related("plan__relationship__organisation"),
        membership,
        pk=action_id,
    )


@router.get("/organisations/{org}/workspace/relationships", response=list[SharedRelationshipOut])
@paginate(Pages)
def shared_relationship_list(request: ApiRequest, org: str) -> QuerySet[Relationship]:
    """The buyers' relationships shared with this organisation, and those waiting for its
    answer."""
    supplier = membership_for(request.auth, org).organisation
    shared = Relationship.objects.shared_with(supplier) | Relationship.objects.asking(supplier)
    return shared.select_related("organisation", "facility").order_by("pk")


@router.post(
    "/organisations/{org}/workspace/relationships/{relationship_id}/sharing",
    response={200: SharedRelationshipOut, **ERRORS},
)
def sharing_answer(
    request: ApiRequest, org: str, relationship_id: Id, payload: SharingAnswerIn
) -> Relationship:
    """Accept or decline what a buyer asks to share with this organisation."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    relationship = get_as_supplier_or_404(
        Relationship.objects.select_related("organisation", "facility"),
        membership,
        accepted=False,
        pk=relationship_id,
    )
    return relationships.sharing_answer(
        relationship=relationship, by=request.auth, accept=payload.accept
    )


@router.get("/organisations/{org}/workspace/actions", response=list[ActionOut])
@paginate(Pages)
def shared_action_list(request: ApiRequest, org: str) -> QuerySet[Action]:
    """The actions of every plan buyers share with this organisation, soonest due first."""
    supplier = membership_for(request.auth, org).organisation
    return Action.objects.shared_with(supplier).select_related("plan").order_by("due_on", "pk")


@router.post(
    "/organisations/{org}/workspace/actions/{action_id}/reports",
    response={201: ReportOut, **ERRORS},
)
def action_report(
    request: ApiRequest, org: str, action_id: Id, payload: ReportIn
) -> Status[Update]:
    """Report progress; "reported_done" asks the buyer to verify."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    action = _action(membership, action_id)
    update = plans.update_post(
        action=action, by=request.auth, by_supplier=True, text=payload.text, status=payload.status
    )
    return Status(201, update)


@router.post(
    "/organisations/{org}/workspace/actions/{action_id}/due-date",
    response={201: DueDateChangeOut, **ERRORS},
)
def due_date_propose(
    request: ApiRequest, org: str, action_id: Id, payload: DueDateProposalIn
) -> Status[DueDateChange]:
    """Propose a new due date, with the reason; the buyer decides."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    action = _action(membership, action_id)
    change = plans.due_date_propose(action=action, by=request.auth, **payload.dict())
    return Status(201, change)


@router.post(
    "/organisations/{org}/workspace/relationships/{relationship_id}/disclosures",
    response={201: DisclosureOut, **ERRORS},
)
def disclose(
    request: ApiRequest, org: str, relationship_id: Id, payload: DisclosureIn
) -> Status[Evidence]:
    """Tell the buyer about a problem found. Disclosing is never held against the supplier."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    relationship = get_as_supplier_or_404(
        Relationship.objects.select_related("organisation", "facility"),
        membership,
        pk=relationship_id,
    )
    if not Issue.objects.filter(pk=payload.issue).exists():
        raise ValidationError({"issue": _("Unknown code: see /api/risk/issues.")})
    found = disclosure.finding_disclose(
        relationship=relationship, by=request.auth, **payload.dict()
    )
    return Status(201, found)
