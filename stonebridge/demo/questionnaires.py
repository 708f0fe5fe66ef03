"""Demo self-assessment: StoneBridge's questionnaire loaded, and the Xiamen exporter's answers
sent to the first buyer, waiting for its review. The answers mix what reassures (a grievance
committee, contracts for everyone) with what the buyer should take up (a busy month's overtime
above the legal cap, rest days skipped in the busy season), and carry two files."""

import struct
import zlib
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from stonebridge.accounts.models import Organisation
from stonebridge.assessments.models import Submission
from stonebridge.assessments.questionnaire_queries import supplier_facilities
from stonebridge.assessments.services import questionnaires

SUPPLIER = "haichen-stone"

ANSWERS = {
    "workers_total": "86",
    "processes": ["wet_cutting", "polishing", "flaming"],
    "dust_controls": ["water", "extraction", "masks"],
    "dust_measured": "yes",
    "health_checks": "partly",
    "health_check_date": "2026-03-18",
    "silicosis_cases": "0",
    "ppe_paid": "company",
    "safety_training": "yes",
    "injuries": "2",
    "rest_day": "most_weeks",
    "overtime_month": "52",
    "working_system": "standard",
    "time_records": "electronic",
    "pay_basis": "mixed",
    "lowest_wage": "2400",
    "overtime_rate": "legal",
    "deductions": "no",
    "age_check": "copy",
    "youngest_age": "19",
    "interns": "no",
    "contract_share": "all",
    "contract_timing": "yes",
    "day_labour": "no",
    "dispatch_used": "yes",
    "dispatch_count": "6",
    "dispatch_posts": "temporary",
    "si_coverage": "most",
    "si_types": ["pension", "medical", "injury", "unemployment", "maternity"],
    "injury_insurance": "yes",
    "migrants_covered": "partly",
    "id_documents": "no",
    "deposits": "no",
    "free_to_leave": "yes",
    "wages_paid": "yes",
    "channels": ["box", "committee"],
    "representatives": "yes",
    "grievances_year": "4",
    "wastewater": "recycled",
    "waste_stone": "reused",
    "env_permit": "yes",
    "subcontract": "yes",
    "subcontractors_named": "partly",
    "block_origin": ["domestic_known", "imported_known"],
    "comments": "旺季加班较多，我们计划明年增加一条切割线并招聘十名员工，以减少加班。",
}


def photo() -> bytes:
    """A small grey PNG standing in for the photo of the extraction hood."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    width = height = 8
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def build(buyer: Organisation) -> Submission:
    """Load the shipped questionnaire and send the exporter's answers to `buyer`. Call after the
    engagement demo, which shares the exporter's site with the buyer."""
    version = questionnaires.questionnaire_load_shipped()
    supplier = Organisation.objects.get(slug=SUPPLIER)
    manager = supplier.memberships.owners().select_related("user").get().user
    submission = questionnaires.submission_start(
        organisation=supplier,
        buyer=buyer,
        version=version,
        facilities=supplier_facilities(supplier),
        by=manager,
    )
    questionnaires.submission_save(
        submission=submission,
        by=manager,
        answers=ANSWERS,
        files={
            "dust_photo": [SimpleUploadedFile("抽风罩.png", photo())],
            "time_records_sample": [
                SimpleUploadedFile("考勤记录-切割车间.pdf", b"%PDF-1.4\n%demo\n")
            ],
        },
    )
    submission = questionnaires.submission_submit(submission=submission, by=manager)
    # Answered three weeks ago, so the buyer sees how old the answers are.
    Submission.objects.filter(pk=submission.pk).update(
        started_at=timezone.now() - timedelta(days=23),
        submitted_at=timezone.now() - timedelta(days=21),
    )
    submission.refresh_from_db()
    return submission
