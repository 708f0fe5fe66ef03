"""Grievance cases over the API, for the members of the organisations a case is routed to, with
the same services and checks as the case pages (`case_views.py`): viewers read, editors and owners
act, anyone else gets a 404. The worker's identity never leaves through the API (a reveal needs a
person on the case page, giving a reason); the public intake has no API at all."""

from datetime import date, datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from pydantic import WithJsonSchema

from stonebridge.accounts.access import get_received_or_404, membership_for, received
from stonebridge.accounts.api import ERRORS, ApiRequest
from stonebridge.accounts.models import Membership, Role
from stonebridge.inputs import Id, Input
from stonebridge.pages import Pages
from stonebridge.risk.models import Issue

from .case_queries import triage_order
from .models import Case, Severity, Urgency
from .services import handling

router = Router(tags=["voice"])
BASE = "/organisations/{org}/voice/cases"

SeverityIn = Annotated[Severity, WithJsonSchema({"type": "string", "enum": list(Severity.values)})]
UrgencyIn = Annotated[Urgency, WithJsonSchema({"type": "string", "enum": list(Urgency.values)})]


class HandledCaseOut(Schema):
    id: int
    number: str
    topic: str
    issue: str | None
    route: str
    share_with_factory: bool
    anonymous: bool
    severity: str
    urgency: str
    state: str
    facility_id: int
    received_at: datetime
    acknowledge_by: date
    respond_by: date
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    escalated_at: datetime | None
    reopened: int
    overdue: bool
    worker_satisfied: bool | None

    @staticmethod
    def resolve_issue(obj: Case) -> str | None:
        return obj.issue_id

    @staticmethod
    def resolve_overdue(obj: Case) -> bool:
        return bool(getattr(obj, "is_overdue", False))


class HandledCaseMessageOut(Schema):
    id: int
    sender: str
    organisation: str | None
    question: bool
    internal: bool
    body: str
    created_at: datetime

    @staticmethod
    def resolve_organisation(obj: Any) -> str | None:
        return obj.organisation.name if obj.organisation_id else None


class HandledCaseDetailOut(HandledCaseOut):
    description: str
    outcome: str
    attachments: list[str] = Field(description="Kinds of the files: photo, voice")
    messages: list[HandledCaseMessageOut] = Field(
        description="Messages with the worker, and your organisation's own internal notes"
    )

    @staticmethod
    def resolve_attachments(obj: Case) -> list[str]:
        return list(obj.attachments.values_list("kind", flat=True))

    @staticmethod
    def resolve_messages(obj: Case) -> list[Any]:
        return list(obj.timeline)  # type: ignore[attr-defined]


class HandledCaseTriageIn(Input):
    issue: str | None = Field(None, max_length=40, description="An issue code, e.g. OHS")
    severity: SeverityIn
    urgency: UrgencyIn


class HandledCaseMessageIn(Input):
    text: str = Field(max_length=5000)
    question: bool = False


class HandledCaseNoteIn(Input):
    text: str = Field(max_length=5000)


class HandledCaseResolveIn(Input):
    outcome: str = Field(max_length=10000)


class HandledCaseCloseIn(Input):
    unfounded: bool = False
    worker_satisfied: bool | None = None


class HandledCaseReopenIn(Input):
    reason: str = Field("", max_length=1000)


def _case(request: ApiRequest, org: str, case_id: int, needs: Role = Role.VIEWER) -> tuple:
    membership = membership_for(request.auth, org, needs=needs)
    case = get_received_or_404(triage_order(Case.objects.all()), membership, pk=case_id)
    return membership, case


def _detail(membership: Membership, case: Case) -> Case:
    """The case as it is now, with the messages the organisation may read."""
    case = triage_order(Case.objects.filter(pk=case.pk)).get()
    org = membership.organisation
    case.timeline = case.messages.filter(  # type: ignore[attr-defined]
        Q(internal=False) | Q(organisation=org)
    ).select_related("organisation")
    return case


@router.get(BASE, response=list[HandledCaseOut])
@paginate(Pages)
def case_list(request: ApiRequest, org: str) -> QuerySet[Case]:
    """Cases routed to your organisation, imminent danger and children first."""
    return triage_order(received(Case.objects.all(), membership_for(request.auth, org)))


@router.get(f"{BASE}/{{case_id}}", response={200: HandledCaseDetailOut, **ERRORS})
def case_detail(request: ApiRequest, org: str, case_id: Id) -> Case:
    membership, case = _case(request, org, case_id)
    return _detail(membership, case)


@router.post(f"{BASE}/{{case_id}}/acknowledge", response={200: HandledCaseDetailOut, **ERRORS})
def case_acknowledge(request: ApiRequest, org: str, case_id: Id) -> Case:
    membership, case = _case(request, org, case_id, Role.EDITOR)
    handling.case_acknowledge(case=case, organisation=membership.organisation, by=request.auth)
    return _detail(membership, case)


@router.post(f"{BASE}/{{case_id}}/triage", response={200: HandledCaseDetailOut, **ERRORS})
def case_triage(request: ApiRequest, org: str, case_id: Id, payload: HandledCaseTriageIn) -> Case:
    membership, case = _case(request, org, case_id, Role.EDITOR)
    issue = Issue.objects.filter(pk=payload.issue).first() if payload.issue else None
    if payload.issue and issue is None:
        raise ValidationError({"issue": _("Choose an issue.")})
    handling.case_triage(
        case=case,
        organisation=membership.organisation,
        by=request.auth,
        issue=issue,
        severity=payload.severity,
        urgency=payload.urgency,
    )
    return _detail(membership, case)


@router.post(f"{BASE}/{{case_id}}/messages", response={200: HandledCaseDetailOut, **ERRORS})
def case_message(request: ApiRequest, org: str, case_id: Id, payload: HandledCaseMessageIn) -> Case:
    """A message to the worker, read with the receipt code."""
    membership, case = _case(request, org, case_id, Role.EDITOR)
    handling.case_message(
        case=case,
        organisation=membership.organisation,
        by=request.auth,
        text=payload.text,
        question=payload.question,
    )
    return _detail(membership, case)


@router.post(f"{BASE}/{{case_id}}/notes", response={200: HandledCaseDetailOut, **ERRORS})
def case_note(request: ApiRequest, org: str, case_id: Id, payload: HandledCaseNoteIn) -> Case:
    """An internal note only your organisation reads."""
    membership, case = _case(request, org, case_id, Role.EDITOR)
    handling.case_note(
        case=case, organisation=membership.organisation, by=request.auth, text=payload.text
    )
    return _detail(membership, case)


@router.post(f"{BASE}/{{case_id}}/resolve", response={200: HandledCaseDetailOut, **ERRORS})
def case_resolve(request: ApiRequest, org: str, case_id: Id, payload: HandledCaseResolveIn) -> Case:
    membership, case = _case(request, org, case_id, Role.EDITOR)
    handling.case_resolve(
        case=case, organisation=membership.organisation, by=request.auth, outcome=payload.outcome
    )
    return _detail(membership, case)


@router.post(f"{BASE}/{{case_id}}/close", response={200: HandledCaseDetailOut, **ERRORS})
def case_close(request: ApiRequest, org: str, case_id: Id, payload: HandledCaseCloseIn) -> Case:
    membership, case = _case(request, org, case_id, Role.EDITOR)
    handling.case_close(
        case=case,
        organisation=membership.organisation,
        by=request.auth,
        unfounded=payload.unfounded,
        worker_satisfied=payload.worker_satisfied,
    )
    return _detail(membership, case)


@router.post(f"{BASE}/{{case_id}}/reopen", response={200: HandledCaseDetailOut, **ERRORS})
def case_reopen(request: ApiRequest, org: str, case_id: Id, payload: HandledCaseReopenIn) -> Case:
    membership, case = _case(request, org, case_id, Role.EDITOR)
    handling.case_reopen(
        case=case, organisation=membership.organisation, by=request.auth, reason=payload.reason
    )
    return _detail(membership, case)
