"""What the visits API reads and returns."""

import base64
import binascii
from datetime import date, datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import WithJsonSchema

from stonebridge.inputs import Id, Input

from .models import Dispute, Finding, Severity, Visit, VisitKind

Kind = Annotated[VisitKind, WithJsonSchema({"type": "string", "enum": list(VisitKind.values)})]
SeverityIn = Annotated[Severity, WithJsonSchema({"type": "string", "enum": list(Severity.values)})]
Decision = Literal["upheld", "corrected", "withdrawn"]
# Base64 of at most 10 MB, with its padding.
MAX_BASE64 = 13_333_336


class FileIn(Input):
    name: str = Field(max_length=200)
    content_base64: str = Field(max_length=MAX_BASE64)


def uploads(files: list[FileIn]) -> list[SimpleUploadedFile]:
    """Files sent as base64, checked by the same rules as a page's upload."""
    try:
        return [
            SimpleUploadedFile(f.name, base64.b64decode(f.content_base64, validate=True))
            for f in files
        ]
    except (binascii.Error, ValueError):
        raise ValidationError({"files": _("A file is not valid base64.")}) from None


class VisitIn(Input):
    kind: Kind
    visit_on: date
    site_ids: list[Id] = Field(description="Ids of your relationships with the sites to visit")
    scope: str = Field("", max_length=5000)
    scope_zh: str = Field("", max_length=5000)
    provider: str | None = Field(None, description="Slug of the service provider's organisation")
    access_until: date | None = None


class VisitOut(Schema):
    id: int
    kind: str
    visit_on: date
    site_ids: list[int]
    scope: str
    scope_zh: str
    provider: str | None
    access_until: date | None
    report: str

    @staticmethod
    def resolve_site_ids(obj: Visit) -> list[int]:
        return [site.relationship_id for site in obj.visit_sites.all()]

    @staticmethod
    def resolve_provider(obj: Visit) -> str | None:
        return obj.provider.slug if obj.provider else None


class FindingIn(Input):
    site_id: Id = Field(description="Id of the relationship with the site")
    issue: str = Field(max_length=20, description="Code of the salient issue")
    indicator: str | None = Field(None, max_length=30)
    severity: SeverityIn
    description: str = Field("", max_length=10000)
    description_zh: str = Field("", max_length=10000)
    files: list[FileIn] = Field(default_factory=list, max_length=10)


class FindingOut(Schema):
    id: int
    visit_id: int
    site_id: int = Field(alias="relationship_id")
    facility_id: int
    issue: str = Field(alias="issue_id")
    issue_name: str
    indicator: str | None
    severity: str
    description: str
    description_zh: str
    state: str
    evidence_id: int | None
    recorded_at: datetime

    @staticmethod
    def resolve_facility_id(obj: Finding) -> int:
        return obj.relationship.facility_id

    @staticmethod
    def resolve_issue_name(obj: Finding) -> str:
        return obj.issue.name

    @staticmethod
    def resolve_indicator(obj: Finding) -> str | None:
        return obj.indicator.code if obj.indicator else None


class SupplierFindingOut(FindingOut):
    """What the supplier reads: no link to the buyer's own evidence record."""

    evidence_id: int | None = None

    @staticmethod
    def resolve_evidence_id(obj: Finding) -> None:
        return None


class DisputeIn(Input):
    reasons: str = Field(max_length=10000)
    files: list[FileIn] = Field(default_factory=list, max_length=10)


class ResolveIn(Input):
    outcome: Decision
    note: str = Field(max_length=10000)
    description: str = Field("", max_length=10000)
    description_zh: str = Field("", max_length=10000)


class DisputeOut(Schema):
    id: int
    finding_id: int
    reasons: str
    raised_at: datetime
    outcome: str
    note: str
    resolved_at: datetime | None

    @staticmethod
    def resolve_outcome(obj: Dispute) -> str:
        return obj.outcome
