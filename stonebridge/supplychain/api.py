from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from stonebridge.accounts.access import get_scoped_or_404, get_shared_or_404, membership_for
from stonebridge.accounts.api import ERRORS, ApiRequest
from stonebridge.accounts.models import Role
from stonebridge.inputs import (
    Id,
    Input,
    LargeQuantity,
    PositiveInteger,
    PositiveSmallInteger,
    Quantity,
)
from stonebridge.pages import MAX_PAGE, Pages

from . import graphs, importing, queries, services, upstream
from .forms import ImportForm
from .models import (
    Activity,
    ChainPosition,
    Facility,
    FacilityKind,
    ImportJob,
    Link,
    LinkKind,
    Sourcing,
    Stone,
    UpstreamShare,
)

router = Router(tags=["supply chain"])


class FacilityIn(Input):
    kind: FacilityKind
    name_zh: str = Field("", max_length=200)
    name_en: str = Field("", max_length=200)
    aliases: list[str] = []
    country: str = Field("CN", min_length=2, max_length=2)
    province: str = ""
    city: str = ""
    district: str = ""
    address: str = ""
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)
    credit_code: str | None = None
    activities: list[Activity] = []
    stone_types: list[Stone] = []
    workers: PositiveInteger | None = None
    migrant_share: Decimal | None = Field(None, ge=0, le=1)
    dispatched_share: Decimal | None = Field(None, ge=0, le=1)
    intern_share: Decimal | None = Field(None, ge=0, le=1)
    os_hub_id: str = ""
    confirm_new: bool = Field(
        False,
        description="Add it even though registry facilities look alike (answered 409 with "
        "them otherwise): true once you have checked it is none of them",
    )


class FacilityPatch(Input):
    kind: FacilityKind | None = None
    name_zh: str | None = None
    name_en: str | None = None
    aliases: list[str] | None = None
    province: str | None = None
    city: str | None = None
    district: str | None = None
    address: str | None = None
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)
    credit_code: str | None = None
    activities: list[Activity] | None = None
    stone_types: list[Stone] | None = None
    workers: PositiveInteger | None = None
    migrant_share: Decimal | None = Field(None, ge=0, le=1)
    dispatched_share: Decimal | None = Field(None, ge=0, le=1)
    intern_share: Decimal | None = Field(None, ge=0, le=1)


class FacilityOut(Schema):
    id: int
    kind: str
    name_zh: str
    name_en: str
    aliases: list[str]
    country: str
    province: str
    city: str
    district: str
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    credit_code: str | None
    activities: list[str] = Field(..., alias="activity_list")
    stone_types: list[str] = Field(..., alias="stone_list")
    workers: int | None = Field(
        ...,
        description=(
            "As first recorded in the shared registry. Workforce figures sent to this API "
            "become your own statement, which your scores read: see "
            "/organisations/{org}/facilities/{id}/workforce"
        ),
    )
    migrant_share: Decimal | None
    dispatched_share: Decimal | None
    intern_share: Decimal | None
    os_hub_id: str
    tier: int | None = Field(None, description="Tier in your chain; null if not in it")
    warnings: list[str] = Field(
        ...,
        description="What may be wrong but is kept, e.g. a credit code issued in another "
        "province than the one given (companies that move keep their code)",
    )
    updated_at: datetime

    @staticmethod
    def resolve_warnings(obj: Facility) -> list[str]:
        return obj.warnings()


class SimilarOut(Schema):
    id: int
    name_zh: str
    name_en: str
    credit_code: str | None
    province: str
    city: str
    address: str
    same_credit_code: bool
    similar_name: bool
    same_address: bool


class SimilarFacilitiesOut(Schema):
    detail: str
    candidates: list[SimilarOut]


class FacilityFilters(Input):
    q: str = ""
    kind: FacilityKind | None = None
    province: str = ""
    tier: PositiveSmallInteger | None = None
    stone: Stone | None = None
    activity: Activity | None = None


class LinkIn(Input):
    kind: LinkKind
    supplier_id: Id | None = Field(None, description="null: the supplier is not known (a gap)")
    customer_id: Id
    product: str = ""
    stone_type: Stone | None = None
    share: Decimal | None = Field(None, ge=0, le=1)
    volume: Quantity | None = Field(None, ge=0)
    origin_country: str = Field("", max_length=2)


class LinkOut(Schema):
    id: int
    kind: str
    supplier_id: int | None
    customer_id: int
    product: str
    stone_type: str
    share: Decimal | None
    volume: Decimal | None
    origin_country: str


class SourcingIn(Input):
    annual_volume: Quantity = Field(..., ge=0)
    annual_value: LargeQuantity | None = Field(None, ge=0)
    currency: str = Field("EUR", min_length=3, max_length=3)
    share_of_output: Decimal | None = Field(None, ge=0, le=1)


class SourcingOut(SourcingIn):
    facility_id: int


class TransparencyOut(Schema):
    traced_volume_share: Decimal
    undisclosed_subcontracting: int
    unknown_origin_facilities: int
    facilities: int


class ChainOut(Schema):
    transparency: TransparencyOut
    nodes: list[dict[str, object]]
    edges: list[dict[str, object]]
    collapsed: bool = Field(
        False,
        description="True when the chain is larger than the drawing shows node by node: "
        "nodes are then groups of facilities per tier and kind (with `count`), edges the links "
        "between the groups (with `count` and `volume`); open one facility's part with `root`",
    )
    root: int | None = Field(None, description="The facility whose upstream chain this is")
    page: int | None = None
    pages: int | None = None
    links: int | None = Field(None, description="Links upstream of the root, on all pages")


class ChainPartQuery(Schema):
    root: Id | None = Field(
        None, description="A facility of your chain: its own upstream chain, page by page"
    )
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(graphs.ROOT_PAGE_SIZE, ge=1, le=graphs.ROOT_PAGE_MAX)


@router.get("/organisations/{org}/facilities", response=list[FacilityOut])
@paginate(Pages)
def facility_list(request: ApiRequest, org: str, filters: Query[FacilityFilters]):
    membership = membership_for(request.auth, org)
    found = queries.search(queries.facilities_for(membership.organisation), filters.q)
    if filters.kind:
        found = found.filter(kind=filters.kind)
    if filters.province:
        found = found.filter(province__icontains=filters.province)
    if filters.tier is not None:
        found = found.filter(tier=filters.tier)
    if filters.stone:
        found = found.with_stone(filters.stone)
    if filters.activity:
        found = found.with_activity(filters.activity)
    return found.order_by("name_en", "name_zh", "pk")


SIMILAR_FIELDS = ("name_zh", "name_en", "credit_code", "province", "city", "address")


@router.post(
    "/organisations/{org}/facilities",
    response={201: FacilityOut, 409: SimilarFacilitiesOut, **ERRORS},
)
def facility_create(request: ApiRequest, org: str, payload: FacilityIn):
    """Add a facility to the shared registry. If facilities with the same credit code, address
    or a similar name are in it, the answer is 409 with them: use one of them, or send again
    with `confirm_new` once you know it is a new one."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    values = payload.dict()
    if not values.pop("confirm_new"):
        similar = queries.similar_facilities(
            **{f: values[f] for f in ("name_zh", "name_en", "aliases", "credit_code", "address")}
        )
        if similar:
            return Status(
                409,
                {
                    "detail": _(
                        "Facilities in the registry look like this one. Use one of them, or "
                        "send it again with confirm_new if it is a new facility."
                    ),
                    "candidates": [
                        {
                            **{f: getattr(s.facility, f) for f in SIMILAR_FIELDS},
                            "id": s.facility.pk,
                            "same_credit_code": s.same_credit_code,
                            "similar_name": s.similar_name,
                            "same_address": s.same_address,
                        }
                        for s in similar
                    ],
                },
            )
    facility = services.facility_create(
        organisation=membership.organisation, by=request.auth, **values
    )
    return Status(201, facility)


@router.get("/organisations/{org}/facilities/{facility_id}", response={200: FacilityOut, **ERRORS})
def facility_detail(request: ApiRequest, org: str, facility_id: Id):
    membership = membership_for(request.auth, org)
    return get_shared_or_404(queries.facilities_for(membership.organisation), pk=facility_id)


@router.patch(
    "/organisations/{org}/facilities/{facility_id}", response={200: FacilityOut, **ERRORS}
)
def facility_update(request: ApiRequest, org: str, facility_id: Id, payload: FacilityPatch):
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    facility = get_shared_or_404(Facility.objects.all(), pk=facility_id)
    services.facility_update(
        facility=facility,
        organisation=membership.organisation,
        by=request.auth,
        # null means "not sent": a shared record's field is not blanked by one API client.
        **payload.dict(exclude_unset=True, exclude_none=True),
    )
    return get_shared_or_404(queries.facilities_for(membership.organisation), pk=facility_id)


@router.get("/organisations/{org}/links", response=list[LinkOut])
@paginate(Pages)
def link_list(request: ApiRequest, org: str, customer_id: Id | None = None, gaps: bool = False):
    membership = membership_for(request.auth, org)
    links = Link.objects.filter(organisation=membership.organisation).order_by("pk")
    if customer_id is not None:
        links = links.filter(customer_id=customer_id)
    if gaps:
        links = links.filter(supplier__isnull=True)
    return links


@router.post("/organisations/{org}/links", response={201: LinkOut, **ERRORS})
def link_create(request: ApiRequest, org: str, payload: LinkIn):
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    values = payload.dict()
    customer = get_shared_or_404(Facility.objects.all(), pk=values.pop("customer_id"))
    supplier_id = values.pop("supplier_id")
    supplier = get_shared_or_404(Facility.objects.all(), pk=supplier_id) if supplier_id else None
    values["stone_type"] = values["stone_type"] or ""
    link = services.link_create(
        organisation=membership.organisation,
        by=request.auth,
        customer=customer,
        supplier=supplier,
        **values,
    )
    return Status(201, link)


class LinkPatch(Input):
    product: str | None = None
    stone_type: Stone | None = None
    share: Decimal | None = Field(None, ge=0, le=1)
    volume: Quantity | None = Field(None, ge=0)
    origin_country: str | None = Field(None, max_length=2)


@router.get("/organisations/{org}/links/{link_id}", response={200: LinkOut, **ERRORS})
def link_detail(request: ApiRequest, org: str, link_id: Id):
    membership = membership_for(request.auth, org)
    return get_scoped_or_404(Link.objects.all(), membership, pk=link_id)


@router.patch("/organisations/{org}/links/{link_id}", response={200: LinkOut, **ERRORS})
def link_update(request: ApiRequest, org: str, link_id: Id, payload: LinkPatch):
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    link = get_scoped_or_404(Link.objects.all(), membership, pk=link_id)
    values = payload.dict(exclude_unset=True, exclude_none=True)
    return services.link_update(link=link, by=request.auth, **values)


@router.delete("/organisations/{org}/links/{link_id}", response={204: None, **ERRORS})
def link_delete(request: ApiRequest, org: str, link_id: Id):
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    services.link_delete(
        link=get_scoped_or_404(Link.objects.all(), membership, pk=link_id), by=request.auth
    )
    return Status(204, None)


@router.get("/organisations/{org}/sourcing", response=list[SourcingOut])
@paginate(Pages)
def sourcing_list(request: ApiRequest, org: str):
    membership = membership_for(request.auth, org)
    return Sourcing.objects.filter(organisation=membership.organisation).order_by("pk")


@router.put("/organisations/{org}/sourcing/{facility_id}", response={200: SourcingOut, **ERRORS})
def sourcing_set(request: ApiRequest, org: str, facility_id: Id, payload: SourcingIn):
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    facility = get_shared_or_404(Facility.objects.all(), pk=facility_id)
    return services.sourcing_set(
        organisation=membership.organisation, by=request.auth, facility=facility, **payload.dict()
    )


@router.delete("/organisations/{org}/sourcing/{facility_id}", response={204: None, **ERRORS})
def sourcing_delete(request: ApiRequest, org: str, facility_id: Id):
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    sourcing = get_scoped_or_404(Sourcing.objects.all(), membership, facility_id=facility_id)
    services.sourcing_delete(sourcing=sourcing, by=request.auth)
    return Status(204, None)


@router.get("/organisations/{org}/chain", response={200: ChainOut, **ERRORS})
def chain_detail(request: ApiRequest, org: str, part: Query[ChainPartQuery]):
    """The buyer's supply-chain graph with its transparency figures: every facility for a
    small chain, groups per tier and kind for a large one, or with `root` one facility of the
    chain and the links upstream of it, `page_size` links a page."""
    membership = membership_for(request.auth, org)
    organisation = membership.organisation
    stamp = graphs.chain_stamp(organisation)
    found = graphs.summary(organisation, stamp) if graphs.is_large(stamp[0]) else None
    transparency = found["transparency"] if found else queries.transparency(organisation)
    if part.root is not None:
        position = get_scoped_or_404(ChainPosition.objects.all(), membership, facility_id=part.root)
        graph = graphs.upstream_page(
            organisation, position.facility_id, page=part.page, page_size=part.page_size
        )
    elif found:
        graph = graphs.collapsed(organisation, found)
    else:
        graph = queries.graph(organisation)
    return {"transparency": transparency, **graph}


class ImportOut(Schema):
    id: int
    kind: str
    format: str
    filename: str
    status: str
    total_rows: int
    processed_rows: int
    progress: int
    errors: list[dict[str, object]]
    review: list[dict[str, object]]
    notices: list[str]
    result: dict[str, object]
    created_at: datetime
    finished_at: datetime | None


class DecisionIn(Input):
    row_key: str
    candidate_id: Id
    same: bool


UPLOAD = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "kind"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "kind": {"type": "string", "enum": ImportJob.Kind.values},
                        "format": {"type": "string", "enum": ImportJob.Format.values},
                    },
                }
            }
        }
    }
}


@router.post(
    "/organisations/{org}/imports", response={202: ImportOut, **ERRORS}, openapi_extra=UPLOAD
)
def import_create(request: ApiRequest, org: str):
    """Upload a list; poll the returned job until its status is done, failed or needs_review."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    form = ImportForm(
        {"kind": request.POST.get("kind"), "format": request.POST.get("format", "stonebridge")},
        request.FILES,
    )
    if not form.is_valid():
        raise ValidationError({k: [str(m) for m in v] for k, v in form.errors.items()})
    if form.cleaned_data["kind"] != ImportJob.Kind.FACILITIES:
        services.require_chain(membership.organisation)
    upload = form.cleaned_data["file"]
    job = importing.import_start(
        organisation=membership.organisation,
        by=request.auth,
        data=upload.read(),
        filename=upload.name,
        kind=form.cleaned_data["kind"],
        fmt=form.cleaned_data["format"],
    )
    return Status(202, job)


@router.get("/organisations/{org}/imports", response=list[ImportOut])
@paginate(Pages)
def import_list(request: ApiRequest, org: str):
    membership = membership_for(request.auth, org)
    return ImportJob.objects.filter(organisation=membership.organisation).defer("data")


@router.get("/organisations/{org}/imports/{import_id}", response={200: ImportOut, **ERRORS})
def import_detail(request: ApiRequest, org: str, import_id: Id):
    membership = membership_for(request.auth, org)
    return get_scoped_or_404(ImportJob.objects.defer("data"), membership, pk=import_id)


@router.post(
    "/organisations/{org}/imports/{import_id}/decisions", response={200: ImportOut, **ERRORS}
)
def import_decide(request: ApiRequest, org: str, import_id: Id, payload: DecisionIn):
    """Answer whether a row is the registry facility suggested for it; remembered next time."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    job = get_scoped_or_404(ImportJob.objects.all(), membership, pk=import_id)
    candidate = get_shared_or_404(Facility.objects.all(), pk=payload.candidate_id)
    if not any(item["row_key"] == payload.row_key for item in job.review):
        raise ValidationError({"row_key": _("This row is not waiting for an answer.")})
    return importing.import_decide(
        job=job, by=request.auth, row_key=payload.row_key, candidate=candidate, same=payload.same
    )


@router.post("/organisations/{org}/imports/{import_id}/undo", response={200: ImportOut, **ERRORS})
def import_undo(request: ApiRequest, org: str, import_id: Id):
    """Undo a finished import: what it created goes, what it changed is put back. Refused (422,
    with the reasons) once rows it did not create rely on it or a field it changed has changed
    again since."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    job = get_scoped_or_404(ImportJob.objects.defer("data"), membership, pk=import_id)
    return importing.import_undo(job=job, by=request.auth)


class DisclosedOut(Schema):
    id: int
    disclosed_by: str = Field(..., alias="disclosure.organisation.name")
    site_id: int = Field(..., alias="disclosure.site_id")
    kind: str = Field(..., alias="disclosure.kind")
    supplier_id: int = Field(..., alias="disclosure.supplier_id")
    customer_id: int = Field(..., alias="disclosure.customer_id")
    shared_at: datetime
    accepted_at: datetime | None
    link_id: int | None


@router.get("/organisations/{org}/disclosed-upstream", response=list[DisclosedOut])
@paginate(Pages)
def disclosed_list(request: ApiRequest, org: str):
    """Upstream links your suppliers disclosed to you; none is in your chain until accepted."""
    membership = membership_for(request.auth, org)
    return (
        UpstreamShare.objects.filter(buyer=membership.organisation)
        .select_related("disclosure__organisation")
        .order_by("pk")
    )


@router.post(
    "/organisations/{org}/disclosed-upstream/{share_id}/accept",
    response={200: LinkOut, **ERRORS},
)
def disclosed_accept(request: ApiRequest, org: str, share_id: Id):
    """Take a disclosed link into your own chain."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    share = get_scoped_or_404(UpstreamShare.objects.all(), membership, pk=share_id)
    return upstream.upstream_accept(share=share, by=request.auth)
