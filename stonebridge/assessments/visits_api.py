"""Visits, findings and disputes over the API, with the same services and checks as the pages
(`visit_views.py`): the buyer under its own organisation, the service provider under
`/assignments` while its access lasts, the supplier under `/workspace`. Viewers read, editors and
owners act, anyone else gets a 404."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from stonebridge.accounts.access import (
    get_as_supplier_or_404,
    get_granted_or_404,
    get_scoped_or_404,
    granted,
    membership_for,
    scoped,
)
from stonebridge.accounts.api import ERRORS, ApiRequest
from stonebridge.accounts.models import Membership, Organisation, Role
from stonebridge.engagement.models import Relationship
from stonebridge.inputs import Id
from stonebridge.pages import Pages
from stonebridge.risk.models import Indicator, Issue

from .models import Dispute, Finding, Visit
from .services import visits
from .visit_schemas import (
    DisputeIn,
    DisputeOut,
    FindingIn,
    FindingOut,
    ResolveIn,
    SupplierFindingOut,
    VisitIn,
    VisitOut,
    uploads,
)

router = Router(tags=["assessments"])

VISITS = Visit.objects.select_related("provider").prefetch_related("visit_sites")
FINDINGS = Finding.objects.select_related("relationship", "issue", "indicator")
BASE = "/organisations/{org}"


def _record_finding(membership: Membership, visit: Visit, payload: FindingIn) -> Finding:
    issue = Issue.objects.filter(pk=payload.issue).first()
    indicator = Indicator.objects.filter(code=payload.indicator).first()
    if issue is None:
        raise ValidationError({"issue": _("Choose an issue.")})
    if payload.indicator and indicator is None:
        raise ValidationError({"indicator": _("Choose an indicator.")})
    site = Relationship.objects.filter(
        pk=payload.site_id, pk__in=visit.visit_sites.values("relationship")
    ).first()
    if site is None:
        raise ValidationError({"site_id": _("This site is not part of the visit.")})
    return visits.finding_record(
        visit=visit,
        by=membership.user,
        site=site,
        issue=issue,
        indicator=indicator,
        severity=payload.severity,
        description=payload.description,
        description_zh=payload.description_zh,
        files=uploads(payload.files),
    )


# --- the buyer -----------------------------------------------------------------------------------


@router.get(f"{BASE}/visits", response=list[VisitOut])
@paginate(Pages)
def visit_list(request: ApiRequest, org: str) -> QuerySet[Visit]:
    return scoped(VISITS.order_by("-visit_on", "-pk"), membership_for(request.auth, org))


@router.post(f"{BASE}/visits", response={201: VisitOut, **ERRORS})
def visit_create(request: ApiRequest, org: str, payload: VisitIn) -> Status[Visit]:
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    buyer = membership.organisation
    sites = list(Relationship.objects.filter(organisation=buyer, pk__in=payload.site_ids))
    if len(sites) != len(set(payload.site_ids)):
        raise ValidationError({"site_ids": _("You can only visit sites you engage.")})
    provider = None
    if payload.provider:
        provider = Organisation.objects.filter(
            slug=payload.provider, kind=Organisation.Kind.SERVICE_PROVIDER
        ).first()
        if provider is None:
            raise ValidationError({"provider": _("Choose a service provider.")})
    visit = visits.visit_create(
        organisation=buyer,
        by=request.auth,
        kind=payload.kind,
        visit_on=payload.visit_on,
        sites=sites,
        scope=payload.scope,
        scope_zh=payload.scope_zh,
        provider=provider,
        access_until=payload.access_until,
    )
    return Status(201, VISITS.get(pk=visit.pk))


@router.get(f"{BASE}/visits/{{visit_id}}", response={200: VisitOut, **ERRORS})
def visit_detail(request: ApiRequest, org: str, visit_id: Id) -> Visit:
    return get_scoped_or_404(VISITS, membership_for(request.auth, org), pk=visit_id)


@router.post(f"{BASE}/visits/{{visit_id}}/findings", response={201: FindingOut, **ERRORS})
def finding_create(
    request: ApiRequest, org: str, visit_id: Id, payload: FindingIn
) -> Status[Finding]:
    """A finding of a visit the buyer's own people did."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    visit = get_scoped_or_404(VISITS.filter(provider__isnull=True), membership, pk=visit_id)
    return Status(201, _record_finding(membership, visit, payload))


@router.get(f"{BASE}/findings", response=list[FindingOut])
@paginate(Pages)
def finding_list(request: ApiRequest, org: str) -> QuerySet[Finding]:
    return scoped(FINDINGS.order_by("-pk"), membership_for(request.auth, org))


@router.get(f"{BASE}/findings/{{finding_id}}", response={200: FindingOut, **ERRORS})
def finding_detail(request: ApiRequest, org: str, finding_id: Id) -> Finding:
    return get_scoped_or_404(FINDINGS, membership_for(request.auth, org), pk=finding_id)


@router.get(f"{BASE}/disputes", response=list[DisputeOut])
@paginate(Pages)
def dispute_list(request: ApiRequest, org: str) -> QuerySet[Dispute]:
    return scoped(Dispute.objects.order_by("-pk"), membership_for(request.auth, org))


@router.get(f"{BASE}/disputes/{{dispute_id}}", response={200: DisputeOut, **ERRORS})
def dispute_detail(request: ApiRequest, org: str, dispute_id: Id) -> Dispute:
    return get_scoped_or_404(
        Dispute.objects.all(), membership_for(request.auth, org), pk=dispute_id
    )


@router.post(f"{BASE}/disputes/{{dispute_id}}/resolve", response={200: DisputeOut, **ERRORS})
def dispute_resolve(request: ApiRequest, org: str, dispute_id: Id, payload: ResolveIn) -> Dispute:
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    dispute = get_scoped_or_404(Dispute.objects.all(), membership, pk=dispute_id)
    return visits.dispute_resolve(dispute=dispute, by=request.auth, **payload.dict())


# --- the service provider ------------------------------------------------------------------------


@router.get(f"{BASE}/assignments", response=list[VisitOut])
@paginate(Pages)
def assignment_list(request: ApiRequest, org: str) -> QuerySet[Visit]:
    return granted(VISITS.order_by("-visit_on", "-pk"), membership_for(request.auth, org))


@router.get(f"{BASE}/assignments/{{visit_id}}", response={200: VisitOut, **ERRORS})
def assignment_detail(request: ApiRequest, org: str, visit_id: Id) -> Visit:
    return get_granted_or_404(VISITS, membership_for(request.auth, org), pk=visit_id)


@router.post(f"{BASE}/assignments/{{visit_id}}/findings", response={201: FindingOut, **ERRORS})
def assignment_finding_create(
    request: ApiRequest, org: str, visit_id: Id, payload: FindingIn
) -> Status[Finding]:
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    visit = get_granted_or_404(VISITS, membership, pk=visit_id)
    return Status(201, _record_finding(membership, visit, payload))


# --- the supplier --------------------------------------------------------------------------------


@router.get(f"{BASE}/workspace/findings", response=list[SupplierFindingOut])
@paginate(Pages)
def workspace_finding_list(request: ApiRequest, org: str) -> QuerySet[Finding]:
    supplier = membership_for(request.auth, org).organisation
    return FINDINGS.shared_with(supplier).seen_by_supplier().order_by("-pk")


@router.get(
    f"{BASE}/workspace/findings/{{finding_id}}", response={200: SupplierFindingOut, **ERRORS}
)
def workspace_finding_detail(request: ApiRequest, org: str, finding_id: Id) -> Finding:
    membership = membership_for(request.auth, org)
    return get_as_supplier_or_404(FINDINGS.seen_by_supplier(), membership, pk=finding_id)


@router.get(f"{BASE}/workspace/disputes", response=list[DisputeOut])
@paginate(Pages)
def workspace_dispute_list(request: ApiRequest, org: str) -> QuerySet[Dispute]:
    supplier = membership_for(request.auth, org).organisation
    return Dispute.objects.filter(
        finding__in=Finding.objects.shared_with(supplier).seen_by_supplier()
    ).order_by("-pk")


@router.post(
    f"{BASE}/workspace/findings/{{finding_id}}/disputes", response={201: DisputeOut, **ERRORS}
)
def workspace_dispute_create(
    request: ApiRequest, org: str, finding_id: Id, payload: DisputeIn
) -> Status[Dispute]:
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    finding = get_as_supplier_or_404(FINDINGS.seen_by_supplier(), membership, pk=finding_id)
    dispute = visits.dispute_raise(
        finding=finding, by=request.auth, reasons=payload.reasons, files=uploads(payload.files)
    )
    return Status(201, dispute)
