from datetime import datetime, timedelta
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import HttpBearer

from stonebridge.audit.models import Entry
from stonebridge.audit.services import describe
from stonebridge.inputs import DateTime, Id, Input
from stonebridge.pages import Pages

from . import services
from .access import get_scoped_or_404, membership_for, organisations_for, scoped
from .models import ApiToken, Invitation, Membership, Role, User, hash_secret

router = Router(tags=["organisations"])


READING = ("GET", "HEAD", "OPTIONS")


class ApiRequest(HttpRequest):
    """A request the API let through: `auth` is the person its token or session names."""

    auth: User


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = (
            ApiToken.objects.active()
            .select_related("user")
            .filter(key_hash=hash_secret(token), user__is_active=True)
            .first()
        )
        if found is None:
            return None
        if found.read_only and request.method not in READING:
            raise HttpError(403, "This token is read only.")
        now = timezone.now()
        # Record use at most once a minute, not on every request.
        if found.last_used_at is None or now - found.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


class ErrorOut(Schema):
    detail: str
    errors: list[dict[str, str]] = []


ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class MeOut(Schema):
    email: str
    name: str
    language: str
    time_zone: str


class OrganisationOut(Schema):
    slug: str
    name: str
    name_zh: str
    kind: str
    country: str
    city: str


class MemberOut(Schema):
    id: int
    email: str = Field(..., alias="user.email")
    name: str = Field(..., alias="user.name")
    role: Role


class RoleIn(Input):
    role: Role


class InvitationIn(Input):
    email: str = Field(..., pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)
    role: Role = Role.VIEWER
    language: str = Field("en", pattern="^(en|zh-hans)$")


class InvitationOut(Schema):
    id: int
    email: str
    role: Role
    language: str
    expires_at: datetime


class InvitationCreated(InvitationOut):
    link: str


class DescribedPages(Pages):
    """Pages of entries with people and their names looked up, one query per kind of object."""

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page[self.items_attribute] = describe(page[self.items_attribute])
        return page


class AuditEntryOut(Schema):
    id: int
    created_at: datetime
    actor: str | None = Field(None, alias="actor.email")
    verb: str
    target_type: str
    target_id: str
    target_label: str
    changes: dict[str, Any]
    hash: str
    prev_hash: str

    @staticmethod
    def resolve_target_label(entry: Entry) -> str:
        return entry.shown_label()


class AuditEntryFilters(FilterSchema):
    verb: str | None = None
    actor: Annotated[str | None, FilterLookup("actor__email__iexact")] = None
    since: Annotated[DateTime | None, FilterLookup("created_at__gte")] = None
    until: Annotated[DateTime | None, FilterLookup("created_at__lte")] = None


@router.get("/me", response=MeOut)
def me(request: ApiRequest) -> User:
    return request.auth


@router.get("/organisations", response=list[OrganisationOut])
@paginate(Pages)
def organisation_list(request: ApiRequest):
    return organisations_for(request.auth).order_by("name")


@router.get("/organisations/{org}", response={200: OrganisationOut, **ERRORS})
def organisation_detail(request: ApiRequest, org: str):
    return membership_for(request.auth, org).organisation


@router.get("/organisations/{org}/members", response=list[MemberOut])
@paginate(Pages)
def member_list(request: ApiRequest, org: str):
    return membership_for(request.auth, org).organisation.memberships.select_related("user")


@router.patch("/organisations/{org}/members/{membership_id}", response={200: MemberOut, **ERRORS})
def member_update(request: ApiRequest, org: str, membership_id: Id, payload: RoleIn):
    mine = membership_for(request.auth, org, needs=Role.OWNER)
    member = get_scoped_or_404(Membership.objects.select_related("user"), mine, pk=membership_id)
    return services.membership_change_role(membership=member, role=payload.role, by=request.auth)


@router.delete("/organisations/{org}/members/{membership_id}", response={204: None, **ERRORS})
def member_delete(request: ApiRequest, org: str, membership_id: Id):
    mine = membership_for(request.auth, org, needs=Role.OWNER)
    member = get_scoped_or_404(Membership.objects.select_related("user"), mine, pk=membership_id)
    services.membership_remove(membership=member, by=request.auth)
    return Status(204, None)


@router.get("/organisations/{org}/invitations", response=list[InvitationOut])
@paginate(Pages)
def invitation_list(request: ApiRequest, org: str):
    return membership_for(request.auth, org, needs=Role.OWNER).organisation.invitations.pending()


@router.post("/organisations/{org}/invitations", response={201: InvitationCreated, **ERRORS})
def invitation_create(request: ApiRequest, org: str, payload: InvitationIn):
    mine = membership_for(request.auth, org, needs=Role.OWNER)
    invitation, token = services.invitation_create(
        organisation=mine.organisation, by=request.auth, **payload.dict()
    )
    link = settings.SITE_URL + reverse("accounts:invitation", kwargs={"token": token})
    return Status(201, {**InvitationOut.from_orm(invitation).dict(), "link": link})


@router.delete("/organisations/{org}/invitations/{invitation_id}", response={204: None, **ERRORS})
def invitation_delete(request: ApiRequest, org: str, invitation_id: Id):
    mine = membership_for(request.auth, org, needs=Role.OWNER)
    invitation = get_scoped_or_404(Invitation.objects.pending(), mine, pk=invitation_id)
    services.invitation_revoke(invitation=invitation, by=request.auth)
    return Status(204, None)


@router.get("/organisations/{org}/audit", response=list[AuditEntryOut], tags=["audit log"])
@paginate(DescribedPages)
def audit_entry_list(request: ApiRequest, org: str, filters: Query[AuditEntryFilters]):
    membership = membership_for(request.auth, org)
    return filters.filter(scoped(Entry.objects.select_related("actor"), membership))
