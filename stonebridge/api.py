"""The one JSON API: each app adds its router; errors come back as JSON with field details."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.security import django_auth

from .accounts.api import ApiTokenAuth, ErrorOut
from .accounts.api import router as accounts_router
from .assessments.api import router as assessments_router
from .assessments.questionnaire_api import router as questionnaire_router
from .assessments.records_api import router as records_router
from .assessments.visits_api import router as visits_router
from .engagement.api import router as engagement_router
from .engagement.collective_api import router as collective_router
from .engagement.workspace_api import router as workspace_router
from .errors import DATABASE_OUTAGE, database_unavailable
from .inputs import Parser
from .notifications.api import router as notifications_router
from .reports.api import router as reports_router
from .reports.covenant_api import router as covenant_router
from .reports.dashboard_api import router as dashboard_router
from .reports.report_api import router as report_jobs_router
from .risk.api import router as risk_router
from .supplychain.api import router as supplychain_router
from .voice.cases_api import router as voice_cases_router
from .voice.surveys_api import router as voice_surveys_router


class StoneBridgeAPI(NinjaAPI):
    """The API, whose OpenAPI schema also lists the errors any operation may answer: django-ninja
    lists only the statuses a route names, and a client (or schemathesis) reading the schema would
    not expect the 401 of a missing token, the 404 of a path naming nothing, the 400 of a body that
    is not JSON, or the 422 of invalid input that every operation can give."""

    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault(
            "ErrorOut", ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        )
        for item in schema["paths"].values():
            for operation in item.values():
                responses = operation["responses"]
                expected = {422: "Invalid input"}
                if "requestBody" in operation:
                    expected[400] = "The body is not JSON"
                if operation.get("security"):
                    expected[401] = "Authentication required"
                if any(p["in"] == "path" for p in operation.get("parameters", [])):
                    expected[404] = "Not found"
                for status, description in expected.items():
                    responses.setdefault(status, _error(description))
        return schema


def _error(description: str) -> dict[str, Any]:
    content = {"schema": {"$ref": "#/components/schemas/ErrorOut"}}
    return {"description": description, "content": {"application/json": content}}


api = StoneBridgeAPI(
    title="StoneBridge API",
    version="1",
    description=(
        "Human rights due diligence for natural-stone supply chains. Authenticate with a "
        "personal API token: `Authorization: Bearer sb_…` (create one under Account → API tokens)."
    ),
    auth=[ApiTokenAuth(), django_auth],
    urls_namespace="api",
    parser=Parser(),
)
api.add_router("/", accounts_router)
api.add_router("/", supplychain_router)
api.add_router("/", risk_router)
api.add_router("/", notifications_router)
api.add_router("/", engagement_router)
api.add_router("/", workspace_router)
api.add_router("/", collective_router)
api.add_router("/", assessments_router)
api.add_router("/", records_router)
api.add_router("/", questionnaire_router)
api.add_router("/", visits_router)
api.add_router("/", voice_cases_router)
api.add_router("/", voice_surveys_router)
api.add_router("/", reports_router)
api.add_router("/", dashboard_router)
api.add_router("/", report_jobs_router)
api.add_router("/", covenant_router)


def _location(loc: list[object]) -> str:
    # ["body", "payload", "email"] → "email": the client wants the field it sent.
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "filters")]
    return ".".join(parts) or "__all__"


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # A path that cannot name anything (an id beyond 64 bits) is not found, like any other.
    if any(e.get("loc", [None])[0] == "path" for e in exc.errors):
        return not_found(request, Http404())
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


def database_outage(request: HttpRequest, exc: Exception | type[Exception]) -> HttpResponse:
    """503 with a JSON detail and Retry-After while the database cannot be reached."""
    return database_unavailable(request)


for _outage in DATABASE_OUTAGE:
    api.add_exception_handler(_outage, database_outage)


# Worker voice: the factory's grievance procedure, its health for buyers, and remedies.
from .voice.procedures_api import router as voice_procedures_router  # noqa: E402

api.add_router("/", voice_procedures_router)
