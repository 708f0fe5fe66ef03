"""The one place that decides what a user may see or change.

Views, the API and exports ask here; none filters by organisation by hand. Someone outside an
organisation gets a 404 (they learn nothing, not even that it exists); a member whose role is too
low for a change gets a 403. Rows are found along the paths their models declare
(`ownership.py`): to the organisation that owns them, to the supplier a buyer shares them with, or
to the service provider a buyer grants them to for a visit, until a date.
"""

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from .models import Membership, Organisation, Role
from .ownership import granted_to, owned_by, received_by, shared_with

M = TypeVar("M", bound=Model)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def organisations_for(user: Any) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user)


def membership_for(user: Any, org_slug: str, *, needs: Role = Role.VIEWER) -> Membership:
    """The user's membership of the organisation; 404 if none, 403 if the role is too low."""
    if not user.is_authenticated or not user.is_active:
        raise Http404
    membership = (
        Membership.objects.select_related("organisation", "user")
        .filter(user=user, organisation__slug=org_slug)
        .first()
    )
    if membership is None:
        raise Http404
    if not membership.allows(needs):
        raise PermissionDenied
    return membership


def scoped(queryset: QuerySet[M], membership: Membership) -> QuerySet[M]:
    """Narrow a queryset of organisation-owned rows to the member's organisation, along the
    path to its owner that the model declares (`ownership.py`)."""
    return queryset.filter(owned_by(queryset.model, membership.organisation))


def get_scoped_or_404(queryset: QuerySet[M], membership: Membership, **lookup: Any) -> M:
    """A row of the member's organisation, however far the row is from it (a reading through
    its measure, action, plan and relationship)."""
    obj = scoped(queryset, membership).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def get_as_supplier_or_404(
    queryset: QuerySet[M], membership: Membership, *, accepted: bool = True, **lookup: Any
) -> M:
    """A row a buyer shares with the member's organisation as its supplier, once the
    organisation accepted the sharing; with `accepted=False`, one it is still asked to accept,
    so that it may answer."""
    shared = shared_with(queryset.model, membership.organisation, accepted=accepted)
    obj = queryset.filter(shared, **lookup).first()
    if obj is None:
        raise Http404
    return obj


def received(queryset: QuerySet[M], membership: Membership) -> QuerySet[M]:
    """Rows another organisation sent to the member's organisation (`ownership.received_by`):
    a supplier's answers to the buyer that asked, or shared with it by the supplier's consent."""
    return queryset.filter(received_by(queryset.model, membership.organisation))


def get_received_or_404(queryset: QuerySet[M], membership: Membership, **lookup: Any) -> M:
    obj = received(queryset, membership).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def granted(
    queryset: QuerySet[M], membership: Membership, today: date | None = None
) -> QuerySet[M]:
    """Rows a buyer granted the member's organisation, a service provider, for a visit: the
    visits it is assigned, their sites and findings, until the grant's last day. The day after,
    they are gone, as if they never were."""
    today = today or timezone.localdate()
    return queryset.filter(granted_to(queryset.model, membership.organisation, today))


def get_granted_or_404(queryset: QuerySet[M], membership: Membership, **lookup: Any) -> M:
    obj = granted(queryset, membership).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def get_shared_or_404(queryset: QuerySet[M], **lookup: Any) -> M:
    """For the shared registry (facilities): every organisation sees the same record, so only
    the membership checked by the caller stands between a person and the row."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def get_own_or_404(queryset: QuerySet[M], user: Any, **lookup: Any) -> M:
    """For rows that belong to a person rather than an organisation (API tokens)."""
    obj = queryset.filter(user=user, **lookup).first()
    if obj is None:
        raise Http404
    return obj


def organisation_view(*, write: Role = Role.EDITOR) -> Callable[..., Any]:
    """Decorate a view under /o/<org>/: log-in required, any member may read, and changes
    (any non-GET request) need at least `write`. The view receives the membership."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, org: str, **kwargs: Any) -> HttpResponse:
            needs = Role.VIEWER if request.method in SAFE_METHODS else write
            membership = membership_for(request.user, org, needs=needs)
            return view(request, membership, **kwargs)

        return wrapper

    return decorator


def visible(queryset: QuerySet[M], membership: Membership) -> QuerySet[M]:
    """Rows the member's organisation owns, and rows a buyer shares with it as its supplier once
    it accepted: for pages both sides use (a records check of the supplier's own facility)."""
    organisation = membership.organisation
    return queryset.filter(
        owned_by(queryset.model, organisation) | shared_with(queryset.model, organisation)
    )


def get_visible_or_404(queryset: QuerySet[M], membership: Membership, **lookup: Any) -> M:
    obj = visible(queryset, membership).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj
