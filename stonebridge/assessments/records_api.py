"""The wage-and-hours records check over the API: submit the three files for a facility (as
base64 in JSON, so the same checks of type and size apply as on the page), poll the check, fetch
the report. Buyers and suppliers use the same routes under their own organisation; the access
is the pages' (`accounts/access.py`)."""

import base64
import binascii
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from stonebridge.accounts.access import get_visible_or_404, membership_for
from stonebridge.accounts.api import ERRORS, ApiRequest
from stonebridge.accounts.models import Role
from stonebridge.inputs import Id, Input, Quantity
from stonebridge.pages import Pages

from . import queries
from .models import RecordsCheck
from .records_text import (
    indication_detail,
    indication_label,
    issue_of,
    rule_label,
    violation_detail,
)
from .services import records

router = Router(tags=["records checks"])


class FileIn(Input):
    name: str = Field(..., min_length=1, max_length=200, description="File name, e.g. kaoqin.csv")
    content_base64: str = Field(..., min_length=1, description="The file's bytes, base64-encoded")


class RecordsCheckIn(Input):
    relationship_id: Id = Field(..., description="The relationship with the facility checked")
    period_start: date
    period_end: date
    minimum_wage: Quantity = Field(..., description="Monthly minimum wage of the area, CNY")
    minimum_wage_source: str = Field("", max_length=200, description="The provincial notice")
    workers: FileIn
    attendance: FileIn
    payroll: FileIn


class RecordsCheckOut(Schema):
    id: int
    facility_id: int = Field(..., alias="relationship.facility_id")
    relationship_id: int
    by_supplier: bool
    period_start: date
    period_end: date
    status: str
    progress: int
    workers: int
    rows: int
    months: list[str]
    counts: dict[str, Any]
    errors: list[dict[str, Any]]
    created_at: datetime
    finished_at: datetime | None


class ViolationOut(Schema):
    worker: str = Field(..., description="Keyed hash of the worker's reference; empty: facility")
    month: str
    rule: str
    rule_label: str
    issue: str
    figures: dict[str, Any]
    detail: str = Field(..., description="What the records show, in the request's language")
    source: str


class IndicationOut(Schema):
    code: str
    label: str
    detail: str
    figures: dict[str, Any]


class RecordsReportOut(Schema):
    check: RecordsCheckOut
    violations: list[ViolationOut]
    indications: list[IndicationOut]


def _decoded(upload: FileIn, field: str) -> SimpleUploadedFile:
    try:
        content = base64.b64decode(upload.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({field: _("The file is not base64-encoded.")}) from None
    return SimpleUploadedFile(upload.name, content)


@router.get("/organisations/{org}/records-checks", response=list[RecordsCheckOut])
@paginate(Pages)
def records_check_list(request: ApiRequest, org: str) -> QuerySet[RecordsCheck]:
    return queries.records_checks(membership_for(request.auth, org))


@router.post("/organisations/{org}/records-checks", response={201: RecordsCheckOut, **ERRORS})
def records_check_submit(
    request: ApiRequest, org: str, payload: RecordsCheckIn
) -> Status[RecordsCheck]:
    """Queue a check; poll the check until its status is done or failed."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    relationship = get_visible_or_404(
        queries.records_facilities(membership), membership, pk=payload.relationship_id
    )
    check = records.records_check_submit(
        relationship=relationship,
        by=request.auth,
        by_supplier=relationship.organisation_id != membership.organisation_id,
        period_start=payload.period_start,
        period_end=payload.period_end,
        minimum_wage=payload.minimum_wage,
        minimum_wage_source=payload.minimum_wage_source,
        workers=_decoded(payload.workers, "workers"),
        attendance=_decoded(payload.attendance, "attendance"),
        payroll=_decoded(payload.payroll, "payroll"),
    )
    return Status(201, check)


@router.get(
    "/organisations/{org}/records-checks/{check_id}", response={200: RecordsCheckOut, **ERRORS}
)
def records_check_detail(request: ApiRequest, org: str, check_id: Id) -> RecordsCheck:
    membership = membership_for(request.auth, org)
    return get_visible_or_404(queries.records_checks(membership), membership, pk=check_id)


@router.get(
    "/organisations/{org}/records-checks/{check_id}/report",
    response={200: RecordsReportOut, **ERRORS},
)
def records_check_report(request: ApiRequest, org: str, check_id: Id) -> dict[str, Any]:
    """Violations per worker and month with the rule, figures and legal source, and the signs
    of double books, in the language of the request."""
    membership = membership_for(request.auth, org)
    check = get_visible_or_404(queries.records_checks(membership), membership, pk=check_id)
    return {
        "check": check,
        "violations": [
            {
                "worker": v.worker,
                "month": v.month,
                "rule": v.rule,
                "rule_label": rule_label(v.rule),
                "issue": issue_of(v.rule),
                "figures": v.figures,
                "detail": violation_detail(v.rule, v.month, v.figures, v.source),
                "source": v.source,
            }
            for v in check.violations.all()
        ],
        "indications": [
            {
                "code": i.code,
                "label": indication_label(i.code),
                "detail": indication_detail(i.code, i.figures),
                "figures": i.figures,
            }
            for i in check.indications.all()
        ],
    }
