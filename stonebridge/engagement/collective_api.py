"""Collective leverage over the API, for a covenant member: the suppliers it shares with other
members as its pages show them, the joint actions it may see, and the same changes the pages
make, through the same services. A member learns of another only what the pages would tell it
(`collective.py`); an organisation outside a covenant, or a member of another one, finds
nothing (404)."""

from datetime import date, datetime

from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from stonebridge.accounts.access import membership_for
from stonebridge.accounts.api import ERRORS, ApiRequest
from stonebridge.accounts.models import Membership, Organisation, Role
from stonebridge.inputs import Id, Input
from stonebridge.pages import Pages
from stonebridge.supplychain.models import Facility

from .collective import (
    get_collective_or_404,
    participants_for,
    participation,
    shared_suppliers,
    visible_collectives,
    with_participants,
)
from .models import CollectiveEngagement, JointAction
from .services import collective as services

router = Router(tags=["collective engagement"])


# --- schemas ----------------------------------------------------------------------------------


class CollectiveSupplierOut(Schema):
    facility_id: int
    name_en: str
    name_zh: str
    members: int | None = Field(
        ..., description="Members buying there; null when fewer than three and not all agreed"
    )
    named: list[str] = Field(..., description="Members named with their agreement and yours")


class CollectiveSuppliersOut(Schema):
    # No count of the suppliers left out: a member would learn from it that one other member
    # buys from one of its suppliers (see engagement/collective.py).
    suppliers: list[CollectiveSupplierOut]


class JointActionStepOut(Schema):
    id: int
    title: str
    title_zh: str
    due_on: date | None
    status: str


class CollectiveOut(Schema):
    id: int
    facility_id: int
    facility_name_en: str
    facility_name_zh: str
    title: str
    title_zh: str
    description: str
    description_zh: str
    status: str
    created_at: datetime
    proposed_by_you: bool
    taking_part: bool
    participants: int
    named: list[str] = Field(..., description="Participants named with their agreement and yours")
    closing_note: str
    closing_note_zh: str
    closed_at: datetime | None


class CollectiveDetailOut(CollectiveOut):
    plan: list[JointActionStepOut] | None = Field(
        ..., description="The joint plan; null for a member that does not take part"
    )


class CollectiveProposeIn(Input):
    facility_id: Id
    title: str = Field("", max_length=200)
    title_zh: str = Field("", max_length=200)
    description: str = Field("", max_length=5000)
    description_zh: str = Field("", max_length=5000)
    named_to_others: bool = False


class CollectiveJoinIn(Input):
    named_to_others: bool = False


class JointActionStepIn(Input):
    title: str = Field("", max_length=200)
    title_zh: str = Field("", max_length=200)
    due_on: date | None = None


class CollectiveCloseIn(Input):
    note: str = Field("", max_length=2000, description="Closing note, in English")
    note_zh: str = Field("", max_length=2000, description="Closing note, in Chinese")


# --- loading ----------------------------------------------------------------------------------


def _member(request: ApiRequest, org: str, *, write: bool = False) -> Membership:
    """A buyer in a covenant; for anyone else collective leverage is not there."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR if write else Role.VIEWER)
    organisation = membership.organisation
    if organisation.kind != Organisation.Kind.BUYER or organisation.covenant_id is None:
        raise Http404
    return membership


def _out(collective: CollectiveEngagement, reader: Organisation) -> dict[str, object]:
    who = participants_for(collective, reader)
    taking_part = any(
        p.organisation_id == reader.pk and p.left_at is None for p in collective.participants.all()
    )
    return {
        "id": collective.pk,
        "facility_id": collective.facility_id,
        "facility_name_en": collective.facility.name_en,
        "facility_name_zh": collective.facility.name_zh,
        "title": collective.title,
        "title_zh": collective.title_zh,
        "description": collective.description,
        "description_zh": collective.description_zh,
        "status": collective.status,
        "created_at": collective.created_at,
        "proposed_by_you": collective.proposed_by_id == reader.pk,
        "taking_part": taking_part,
        "participants": who.count,
        "named": who.named,
        "closing_note": collective.closing_note,
        "closing_note_zh": collective.closing_note_zh,
        "closed_at": collective.closed_at,
    }


def _detail(membership: Membership, collective_id: int) -> dict[str, object]:
    found = get_collective_or_404(membership, collective_id)
    reader = membership.organisation
    out = _out(found, reader)
    # As on the page: the joint plan only for a member that takes part.
    out["plan"] = list(found.actions.all()) if participation(found, reader) else None
    return out


def _step(membership: Membership, collective_id: int, step_id: int) -> JointAction:
    found = get_collective_or_404(membership, collective_id)
    step = found.actions.filter(pk=step_id).first()
    if step is None:
        raise Http404
    step.collective = found
    return step


# --- routes -----------------------------------------------------------------------------------

BASE = "/organisations/{org}/together"


@router.get(f"{BASE}/suppliers", response={200: CollectiveSuppliersOut, **ERRORS})
def collective_suppliers(request: ApiRequest, org: str):
    """The suppliers the member shares with others in its covenant, as its page shows them: a
    count only from three members or when every member concerned agreed, names only between
    members that both agreed."""
    organisation = _member(request, org).organisation
    assert organisation.covenant is not None
    shown, _withheld = shared_suppliers(organisation.covenant, reader=organisation)
    return {
        "suppliers": [
            {
                "facility_id": s.facility.pk,
                "name_en": s.facility.name_en,
                "name_zh": s.facility.name_zh,
                "members": s.members,
                "named": s.named,
            }
            for s in shown
        ]
    }


@router.get(BASE, response=list[CollectiveOut])
@paginate(Pages)
def collective_list(request: ApiRequest, org: str):
    """The joint actions at the member's suppliers and those it takes part in."""
    reader = _member(request, org).organisation
    found = with_participants(visible_collectives(reader)).order_by("-created_at", "-pk")
    return [_out(item, reader) for item in found]


@router.post(BASE, response={201: CollectiveDetailOut, **ERRORS})
def collective_create(request: ApiRequest, org: str, payload: CollectiveProposeIn):
    """Propose joint action at a supplier the member buys from; the other members that buy
    there are told."""
    membership = _member(request, org, write=True)
    facility = Facility.objects.filter(pk=payload.facility_id).first()
    if facility is None:
        raise Http404
    made = services.collective_propose(
        organisation=membership.organisation,
        by=request.auth,
        facility=facility,
        **payload.dict(exclude={"facility_id"}),
    )
    return Status(201, _detail(membership, made.pk))


@router.get(f"{BASE}/{{collective_id}}", response={200: CollectiveDetailOut, **ERRORS})
def collective_detail(request: ApiRequest, org: str, collective_id: Id):
    return _detail(_member(request, org), collective_id)


@router.post(f"{BASE}/{{collective_id}}/join", response={200: CollectiveDetailOut, **ERRORS})
def collective_join(request: ApiRequest, org: str, collective_id: Id, payload: CollectiveJoinIn):
    membership = _member(request, org, write=True)
    found = get_collective_or_404(membership, collective_id)
    services.collective_join(
        collective=found,
        organisation=membership.organisation,
        by=request.auth,
        named_to_others=payload.named_to_others,
    )
    return _detail(membership, collective_id)


@router.post(f"{BASE}/{{collective_id}}/leave", response={200: CollectiveDetailOut, **ERRORS})
def collective_leave(request: ApiRequest, org: str, collective_id: Id):
    membership = _member(request, org, write=True)
    found = get_collective_or_404(membership, collective_id)
    services.collective_leave(
        collective=found, organisation=membership.organisation, by=request.auth
    )
    return _detail(membership, collective_id)


@router.post(f"{BASE}/{{collective_id}}/close", response={200: CollectiveDetailOut, **ERRORS})
def collective_close(request: ApiRequest, org: str, collective_id: Id, payload: CollectiveCloseIn):
    """Only the member that proposed the joint action closes it; the plan stays readable."""
    membership = _member(request, org, write=True)
    found = get_collective_or_404(membership, collective_id)
    services.collective_close(
        collective=found,
        organisation=membership.organisation,
        by=request.auth,
        note=payload.note,
        note_zh=payload.note_zh,
    )
    return _detail(membership, collective_id)


@router.post(f"{BASE}/{{collective_id}}/steps", response={201: JointActionStepOut, **ERRORS})
def joint_action_create(
    request: ApiRequest, org: str, collective_id: Id, payload: JointActionStepIn
):
    membership = _member(request, org, write=True)
    found = get_collective_or_404(membership, collective_id)
    step = services.joint_action_add(
        collective=found, organisation=membership.organisation, by=request.auth, **payload.dict()
    )
    return Status(201, step)


@router.post(
    f"{BASE}/{{collective_id}}/steps/{{joint_action_id}}/done",
    response={200: JointActionStepOut, **ERRORS},
)
def joint_action_complete(request: ApiRequest, org: str, collective_id: Id, joint_action_id: Id):
    membership = _member(request, org, write=True)
    step = _step(membership, collective_id, joint_action_id)
    return services.joint_action_done(
        action=step, organisation=membership.organisation, by=request.auth
    )
