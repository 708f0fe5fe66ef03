"""The annual report over the API: ask for a report file, follow its progress, download it.
Only members of the organisation reach any of it; an outsider gets 404."""

from datetime import date, datetime
from typing import Literal

from django.http import HttpResponse
from ninja import Field, Router, Schema, Status

from stonebridge.accounts.access import get_scoped_or_404, membership_for
from stonebridge.accounts.api import ERRORS, ApiRequest
from stonebridge.accounts.models import Role
from stonebridge.inputs import Id
from stonebridge.pages import attachment

from . import annual, services
from .models import ReportJob

router = Router(tags=["reports"])


class ReportJobIn(Schema):
    period_start: date
    period_end: date
    edition: Literal["confidential", "public"] = "confidential"
    language: Literal["en", "zh-hans"] = "en"
    format: Literal["pdf", "xlsx"] = "pdf"


class ReportJobOut(Schema):
    id: int
    period_start: date
    period_end: date
    edition: str
    language: str
    format: str = Field(..., alias="fmt")
    status: str
    progress: int = Field(..., description="Percent done")
    filename: str
    created_at: datetime
    finished_at: datetime | None


@router.post("/organisations/{org}/report-jobs", response={201: ReportJobOut, **ERRORS})
def report_job_create(request: ApiRequest, org: str, payload: ReportJobIn):
    """Ask for an annual report file; it is written in the background (follow `progress`)."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    job = services.report_job_start(
        organisation=membership.organisation,
        by=request.auth,
        period=annual.Period(payload.period_start, payload.period_end),
        edition=payload.edition,
        language=payload.language,
        fmt=payload.format,
    )
    return Status(201, job)


@router.get("/organisations/{org}/report-jobs/{job_id}", response=ReportJobOut)
def report_job_read(request: ApiRequest, org: str, job_id: Id):
    membership = membership_for(request.auth, org)
    return get_scoped_or_404(ReportJob.objects.defer("content"), membership, pk=job_id)


@router.get(
    "/organisations/{org}/report-jobs/{job_id}/file",
    response={200: None},
    openapi_extra={
        "responses": {
            200: {
                "description": "The report file, once written",
                "content": {
                    content_type: {"schema": {"type": "string", "format": "binary"}}
                    for content_type in services.CONTENT_TYPES.values()
                },
            }
        }
    },
)
def report_job_file(request: ApiRequest, org: str, job_id: Id) -> HttpResponse:
    membership = membership_for(request.auth, org)
    job = get_scoped_or_404(
        ReportJob.objects.filter(status=ReportJob.Status.DONE), membership, pk=job_id
    )
    return attachment(bytes(job.content or b""), job.filename, services.CONTENT_TYPES[job.fmt])
