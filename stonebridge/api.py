"""The one JSON API: each app adds its router; errors come back as JSON with field details."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import django_auth

from .accounts.api import ApiTokenAuth
from .accounts.api import router as accounts_router
from .audit.api import router as audit_router
from .engagement.api import router as engagement_router
from .notifications.api import router as notifications_router
from .risk.api import router as risk_router
from .supplychain.api import router as supplychain_router

api = NinjaAPI(
    title="StoneBridge API",
    version="1",
    description=(
        "Human rights due diligence for natural-stone supply chains. Authenticate with a "
        "personal API token: `Authorization: Bearer sb_…` (create one under Account → API tokens)."
    ),
    auth=[ApiTokenAuth(), django_auth],
    urls_namespace="api",
)
api.add_router("/", accounts_router)
api.add_router("/", audit_router)
api.add_router("/", supplychain_router)
api.add_router("/", risk_router)
api.add_router("/", notifications_router)
api.add_router("/", engagement_router)


def _location(loc: list[object]) -> str:
    # ["body", "payload", "email"] → "email": the client wants the field it sent.
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "filters")]
    return ".".join(parts) or "__all__"


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": _location(e.get("loc", [])), "message": e.get("msg", "")} for e in exc.errors
    ]
    return api.create_response(request, {"detail": "Invalid input.", "errors": errors}, status=422)


@api.exception_handler(DjangoValidationError)
def rejected_by_service(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": field, "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": "__all__", "message": message} for message in exc.messages]
    return api.create_response(request, {"detail": "Invalid input.", "errors": errors}, status=422)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(exc) or "Your role does not allow this change."}, status=403
    )


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Authentication required: send a personal API token."}, status=401
    )
