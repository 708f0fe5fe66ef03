"""The factory's grievance procedure, its health and remedies over the API, with the same checks
as the pages: the procedure, committee and meetings for the supplier's own organisation (under
its workspace); the procedure's health, as figures, for a buyer that works with the supplier;
remedies for the buyer that owns them. Anyone else gets a 404."""

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Case as DbCase
from django.db.models import F, QuerySet, When
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from stonebridge.accounts.access import get_scoped_or_404, membership_for, scoped, visible
from stonebridge.accounts.api import ERRORS, ApiRequest
from stonebridge.accounts.models import Membership, Organisation
from stonebridge.engagement.models import Relationship
from stonebridge.inputs import Id, Input
from stonebridge.pages import Pages

from .health import MIN_ANSWERS
from .models import (
    CommitteeMember,
    Meeting,
    Procedure,
    Remedy,
    RemedyKind,
    RemedyMilestone,
    RemedyState,
)
from .services import health as health_service
from .services.intake import ACKNOWLEDGE_DAYS, RESPOND_DAYS

router = Router(tags=["voice"])

# Dates the health period may name: far enough either way for any real question, and inside
# what date arithmetic can take.
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


class CommitteeMemberOut(Schema):
    id: int
    name: str
    role: str
    chosen: str
    since: date
    until: date | None


class ProcedureOut(Schema):
    set_up: bool = Field(description="false: StoneBridge's default deadlines apply")
    acknowledge_days: int
    respond_days: int
    description: str
    contact: str
    committee: list[CommitteeMemberOut] = Field(description="Current members")


class MeetingOut(Schema):
    id: int
    held_on: date
    facility_id: int | None
    workers_present: int
    topics: str
    minutes: str
    follow_up: str


class TopicCount(Schema):
    topic: str
    cases: int


class HealthOut(Schema):
    start: date
    end: date
    cases: int
    by_topic: list[TopicCount]
    median_days_to_acknowledge: float | None
    median_days_to_resolve: float | None
    answered: int
    satisfied_share: Decimal | None = Field(
        description=f"null when fewer than {MIN_ANSWERS} workers answered (StoneBridge default)"
    )
    overdue: int
    meetings: int


class HealthFilters(Input):
    start: date | None = Field(None, ge=EARLIEST, le=LATEST)
    end: date | None = Field(None, ge=EARLIEST, le=LATEST)


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: date
    done_at: datetime | None
    note: str


class RemedyOut(Schema):
    id: int
    organisation: str
    facility_id: int
    case_number: str | None
    plan_id: int | None
    kind: RemedyKind
    description: str
    workers_covered: int
    amount: Decimal | None
    currency: str
    paid_by: str
    state: RemedyState
    verified_by: str
    verification_method: str
    verified_on: date | None
    verification_note: str
    opened_at: datetime
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_organisation(obj: Remedy) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_case_number(obj: Remedy) -> str | None:
        # Annotated by `remedy_list`: only the remedy's owner learns which grievance it answers
        # (a supplier could otherwise find a case a worker kept from it).
        return getattr(obj, "owners_case_number", None)

    @staticmethod
    def resolve_milestones(obj: Remedy) -> list[RemedyMilestone]:
        return list(obj.milestones.all())


class RemedyFilters(Input):
    state: RemedyState | None = None
    kind: RemedyKind | None = None


def _supplier(request: ApiRequest, org: str) -> Membership:
    """The member's membership of a supplier's organisation: only a supplier runs a factory
    grievance procedure."""
    membership = membership_for(request.auth, org)
    if membership.organisation.kind != Organisation.Kind.SUPPLIER:
        raise Http404
    return membership


@router.get(
    "/organisations/{org}/workspace/voice/procedure", response={200: ProcedureOut, **ERRORS}
)
def procedure_detail(request: ApiRequest, org: str) -> ProcedureOut:
    """The organisation's own grievance procedure and its current committee."""
    membership = _supplier(request, org)
    procedure = scoped(Procedure.objects.all(), membership).first()
    today = timezone.localdate()
    members = [
        CommitteeMemberOut.model_validate(m, from_attributes=True)
        for m in scoped(CommitteeMember.objects.all(), membership)
        if m.until is None or m.until > today
    ]
    if procedure is None:
        return ProcedureOut(
            set_up=False,
            acknowledge_days=ACKNOWLEDGE_DAYS,
            respond_days=RESPOND_DAYS,
            description="",
            contact="",
            committee=members,
        )
    return ProcedureOut(
        set_up=True,
        acknowledge_days=procedure.acknowledge_days,
        respond_days=procedure.respond_days,
        description=procedure.description,
        contact=procedure.contact,
        committee=members,
    )


@router.get("/organisations/{org}/workspace/voice/meetings", response=list[MeetingOut])
@paginate(Pages)
def meeting_list(request: ApiRequest, org: str) -> QuerySet[Meeting]:
    """The organisation's dialogue meetings with workers, latest first."""
    return scoped(Meeting.objects.all(), _supplier(request, org))


@router.get(
    "/organisations/{org}/voice/health/{relationship_id}", response={200: HealthOut, **ERRORS}
)
def procedure_health(
    request: ApiRequest, org: str, relationship_id: Id, filters: Query[HealthFilters]
) -> HealthOut:
    """Figures of the grievance procedure the supplier runs at the relationship's site, for
    cases received from `start` (default: a year before `end`) to `end` (default: today). Never
    a case. 404 unless the supplier accepted the relationship and it has not ended."""
    membership = membership_for(request.auth, org)
    relationship = get_scoped_or_404(Relationship.objects.all(), membership, pk=relationship_id)
    today = timezone.localdate()
    figures = health_service.procedure_health(
        relationship=relationship, today=today, start=filters.start, end=filters.end
    )
    return HealthOut(
        start=figures.start,
        end=figures.end,
        cases=figures.cases,
        by_topic=[TopicCount(topic=t, cases=n) for t, n in figures.by_topic],
        median_days_to_acknowledge=figures.median_days_to_acknowledge,
        median_days_to_resolve=figures.median_days_to_resolve,
        answered=figures.answered,
        satisfied_share=figures.satisfied_share,
        overdue=figures.overdue,
        meetings=figures.meetings,
    )


@router.get("/organisations/{org}/voice/remedies", response=list[RemedyOut])
@paginate(Pages)
def remedy_list(request: ApiRequest, org: str, filters: Query[RemedyFilters]) -> QuerySet[Remedy]:
    """Remedies the organisation owns, or, for a supplier, those that concern it (read-only),
    newest first; they stay after a relationship ends."""
    membership = membership_for(request.auth, org)
    found = visible(
        Remedy.objects.select_related("organisation").prefetch_related("milestones"), membership
    ).annotate(
        owners_case_number=DbCase(
            When(organisation_id=membership.organisation_id, then=F("case__number")),
            default=None,
        )
    )
    if filters.state:
        found = found.filter(state=filters.state)
    if filters.kind:
        found = found.filter(kind=filters.kind)
    return found.order_by("-opened_at", "-pk")
