from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from stonebridge.accounts.access import get_scoped_or_404, get_shared_or_404, membership_for
from stonebridge.accounts.api import ERRORS, ApiRequest
from stonebridge.accounts.models import Role
from stonebridge.inputs import Id, Input, PositiveInteger, PositiveSmallInteger
from stonebridge.pages import Pages
from stonebridge.supplychain.models import Facility

from . import queries, services
from .models import Confidence, Evidence, EvidenceKind, Indicator, Issue, SourceType

router = Router(tags=["risk"])


class IndicatorOut(Schema):
    code: str
    name_en: str
    name_zh: str
    scale: int
    irremediability: int
    ilo_forced_labour: bool


class IssueOut(Schema):
    code: str
    name_en: str
    name_zh: str
    description_en: str
    description_zh: str
    scale: int
    irremediability: int
    indicators: list[IndicatorOut]


class ScoreOut(Schema):
    facility_id: int
    facility_name: str
    issue: str = Field(..., alias="issue_id")
    priority: float
    severity: float
    likelihood: float
    irremediable: bool
    tier: int
    via_id: int | None = Field(None, description="Direct supplier it reaches you through")
    path_share: float = Field(..., description="Share of that supplier's input along the path")
    path: list[int] = Field(..., alias="path_ids")
    exposure: float = Field(..., description="priority * path share")
    leverage: float | None = Field(None, description="Your share of the via supplier's output")

    @staticmethod
    def resolve_facility_name(obj: object) -> str:
        return str(obj.facility)  # type: ignore[attr-defined]


class RegisterFilters(Input):
    issue: str | None = None
    tier: PositiveSmallInteger | None = None
    province: str = ""
    via_id: Id | None = Field(None, description="Only risks reaching you through this supplier")
    irremediable: bool | None = None
    sort: Literal["priority", "exposure", "severity", "likelihood", "tier"] = "priority"


class FactorOut(Schema):
    value: int
    source: str
    detail: str
    explanation: str


class ContributionOut(Schema):
    kind: str
    label: str
    points: float
    likelihood: float
    note: str
    evidence_id: int | None
    baseline_id: int | None
    source: str | None = Field(None, description="Cited source of a baseline contribution")
    source_year: int | None = None
    source_url: str | None = None
    source_status: str | None = Field(None, description="How far the source was checked")
    baseline_level: int | None = Field(None, description="Level 1-5, a StoneBridge default")


class ExplanationOut(Schema):
    facility_id: int
    issue: str
    priority: float
    severity: float
    likelihood: float
    irremediable: bool
    scale: FactorOut
    scope: FactorOut
    irremediability: FactorOut
    contributions: list[ContributionOut]
    path: list[int]
    path_share: float | None
    leverage: float | None


class EvidenceIn(Input):
    facility_id: Id
    issue: str
    indicator: str | None = None
    kind: EvidenceKind
    observed_on: date
    source_type: SourceType
    confidence: Confidence = Confidence.MEDIUM
    people_affected: PositiveInteger | None = None
    improved: bool | None = None
    disclosed_by_supplier: bool = False
    summary: str = Field(..., min_length=1)


class EvidenceOut(Schema):
    id: int
    facility_id: int
    issue: str = Field(..., alias="issue_id")
    indicator: str | None = Field(None, alias="indicator.code")
    kind: str
    observed_on: date
    source_type: str
    confidence: str
    people_affected: int | None
    improved: bool | None
    disclosed_by_supplier: bool
    summary: str
    recorded_at: datetime
    retracted_at: datetime | None
    retraction_reason: str


class RetractIn(Input):
    reason: str = Field(..., min_length=1)


def _factor(factor: object, text: str) -> dict[str, object]:
    return {**{k: getattr(factor, k) for k in ("value", "source", "detail")}, "explanation": text}


def _explanation(facility: Facility, x: queries.Explained) -> dict[str, object]:
    s = x.score
    return {
        "facility_id": facility.pk,
        "issue": s.issue,
        "priority": s.priority,
        "severity": s.severity.value,
        "likelihood": s.likelihood,
        "irremediable": s.severity.irremediable,
        "scale": _factor(s.severity.scale, x.scale),
        "scope": _factor(s.severity.scope, x.scope),
        "irremediability": _factor(s.severity.irremediability, x.irremediability),
        "contributions": [
            {
                "kind": line.contribution.kind,
                "label": str(line.label),
                "points": line.contribution.points,
                "likelihood": line.contribution.likelihood,
                "note": line.contribution.note,
                "evidence_id": line.contribution.evidence_id,
                "baseline_id": line.contribution.baseline_id,
                "source": line.baseline.source if line.baseline else None,
                "source_year": line.baseline.year if line.baseline else None,
                "source_url": line.baseline.url if line.baseline else None,
                "source_status": line.baseline.status if line.baseline else None,
                "baseline_level": line.baseline.level if line.baseline else None,
            }
            for line in x.lines
        ],
        "path": [f.pk for f in x.path or []],
        "path_share": x.stored.path_share if x.stored else None,
        "leverage": None if x.leverage is None else float(x.leverage),
    }


@router.get("/risk/issues", response=list[IssueOut])
def issue_list(request: ApiRequest):
    """The salient-issue taxonomy with its indicators (shared reference data)."""
    return Issue.objects.prefetch_related("indicators")


@router.get("/organisations/{org}/risks", response=list[ScoreOut])
@paginate(Pages)
def register(request: ApiRequest, org: str, filters: Query[RegisterFilters]):
    membership = membership_for(request.auth, org)
    scores = queries.register(membership.organisation)
    if filters.issue:
        scores = scores.filter(issue_id=filters.issue)
    if filters.tier is not None:
        scores = scores.filter(tier=filters.tier)
    if filters.province:
        scores = scores.filter(facility__province__icontains=filters.province)
    if filters.via_id is not None:
        scores = scores.filter(via_id=filters.via_id)
    if filters.irremediable is not None:
        scores = scores.filter(irremediable=filters.irremediable)
    return scores.order_by(*queries.SORTS[filters.sort])


@router.get("/organisations/{org}/risks/heatmap", response=dict[str, object])
def heatmap(request: ApiRequest, org: str, rows: Literal["tier", "cluster"] = "tier"):
    membership = membership_for(request.auth, org)
    return queries.heatmap(membership.organisation, rows)


@router.get(
    "/organisations/{org}/facilities/{facility_id}/risk",
    response={200: list[ExplanationOut], **ERRORS},
)
def facility_risk(request: ApiRequest, org: str, facility_id: Id):
    """The facility's score on every issue, each with its full explanation."""
    membership = membership_for(request.auth, org)
    facility = get_shared_or_404(Facility.objects.all(), pk=facility_id)
    return [_explanation(facility, x) for x in queries.explain(membership.organisation, facility)]


@router.get(
    "/organisations/{org}/facilities/{facility_id}/risk/{issue}",
    response={200: ExplanationOut, **ERRORS},
)
def explain(request: ApiRequest, org: str, facility_id: Id, issue: str):
    membership = membership_for(request.auth, org)
    facility = get_shared_or_404(Facility.objects.all(), pk=facility_id)
    get_shared_or_404(Issue.objects.all(), pk=issue)
    (x,) = queries.explain(membership.organisation, facility, issue)
    return _explanation(facility, x)


@router.get("/organisations/{org}/evidence", response=list[EvidenceOut])
@paginate(Pages)
def evidence_list(request: ApiRequest, org: str, facility_id: Id | None = None):
    membership = membership_for(request.auth, org)
    evidence = Evidence.objects.filter(organisation=membership.organisation).select_related(
        "indicator"
    )
    if facility_id is not None:
        evidence = evidence.filter(facility_id=facility_id)
    return evidence


@router.post("/organisations/{org}/evidence", response={201: EvidenceOut, **ERRORS})
def evidence_record(request: ApiRequest, org: str, payload: EvidenceIn):
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    values = payload.dict()
    facility = get_shared_or_404(Facility.objects.all(), pk=values.pop("facility_id"))
    issue = Issue.objects.filter(pk=values.pop("issue")).first()
    code = values.pop("indicator")
    indicator = Indicator.objects.filter(code=code).first() if code else None
    if issue is None or (code and indicator is None):
        field = "issue" if issue is None else "indicator"
        raise ValidationError({field: _("Unknown code: see /api/risk/issues.")})
    evidence = services.evidence_record(
        organisation=membership.organisation,
        by=request.auth,
        facility=facility,
        issue=issue,
        indicator=indicator,
        **values,
    )
    return Status(201, evidence)


@router.post(
    "/organisations/{org}/evidence/{evidence_id}/withdraw", response={200: EvidenceOut, **ERRORS}
)
def evidence_retract(request: ApiRequest, org: str, evidence_id: Id, payload: RetractIn):
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    evidence = get_scoped_or_404(Evidence.objects.all(), membership, pk=evidence_id)
    return services.evidence_retract(evidence=evidence, by=request.auth, reason=payload.reason)


class WorkforceIn(Input):
    workers: int | None = Field(None, ge=0, le=2_147_483_647)
    migrant_share: Decimal | None = Field(None, ge=0, le=1, max_digits=4, decimal_places=3)
    dispatched_share: Decimal | None = Field(None, ge=0, le=1, max_digits=4, decimal_places=3)
    intern_share: Decimal | None = Field(None, ge=0, le=1, max_digits=4, decimal_places=3)


class WorkforceStatementOut(WorkforceIn):
    source: str = Field(..., description="buyer, supplier (disclosed by the supplier), registry")
    stated_at: datetime


class WorkforceOut(Schema):
    counting: WorkforceStatementOut | None = Field(
        None, description="The newest statement: what your scores read"
    )
    disclosed: WorkforceStatementOut | None = Field(
        None, description="The supplier's newest disclosure, shown beside your own"
    )
    history: list[WorkforceStatementOut]


@router.get(
    "/organisations/{org}/facilities/{facility_id}/workforce",
    response={200: WorkforceOut, **ERRORS},
)
def workforce(request: ApiRequest, org: str, facility_id: Id):
    """Who works at a facility as your scores read it, and the supplier's disclosure."""
    membership = membership_for(request.auth, org)
    facility = get_shared_or_404(Facility.objects.all(), pk=facility_id)
    return queries.workforce_for(membership.organisation, facility)


@router.post(
    "/organisations/{org}/facilities/{facility_id}/workforce",
    response={201: WorkforceStatementOut, **ERRORS},
)
def workforce_state(request: ApiRequest, org: str, facility_id: Id, payload: WorkforceIn):
    """State who works at a facility, for your own scores only."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    facility = get_shared_or_404(Facility.objects.all(), pk=facility_id)
    statement = services.workforce_state(
        organisation=membership.organisation, by=request.auth, facility=facility, **payload.dict()
    )
    return Status(201, statement)
