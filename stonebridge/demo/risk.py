"""Demo evidence: what audits, worker interviews and a grievance found at the demo chain's
facilities, recorded through `risk.services` as the assessment and grievance apps would."""

from datetime import timedelta

from django.utils import timezone

from stonebridge.accounts.models import Organisation
from stonebridge.risk import services
from stonebridge.supplychain.models import Facility

# (facility name_en, issue, indicator, kind, days ago, source, confidence, people, summary,
#  disclosed by the supplier)
EVIDENCE = [
    (
        "Hui'an Chongwu Yongxing Carving Works",
        "OHS",
        "OHS_SILICA",
        "finding",
        40,
        "audit",
        "high",
        18,
        "Dry carving and polishing with angle grinders; no local exhaust ventilation; "
        "workers buy their own paper masks.",
        False,
    ),
    (
        "Hui'an Chongwu Yongxing Carving Works",
        "YOUTH",
        "YOUTH_HAZARDOUS",
        "finding",
        40,
        "worker_interview",
        "medium",
        2,
        "Two workers said they started at 16; no juvenile registration or health check on file.",
        False,
    ),
    (
        "Nan'an Shuitou Xinyuan Stone Factory",
        "HOURS_WAGES",
        "HW_OVERTIME_CAP",
        "finding",
        75,
        "document",
        "high",
        120,
        "Time records show 68-hour weeks in the spring peak; overtime paid at the normal rate.",
        False,
    ),
    (
        "Nan'an Shuitou Xinyuan Stone Factory",
        "SOCIAL_SECURITY",
        "SS_NO_INJURY_INSURANCE",
        "finding",
        75,
        "document",
        "medium",
        74,
        "Payroll: 46 of 120 workers enrolled in work-injury insurance.",
        False,
    ),
    (
        "Nan'an Shuitou Xinyuan Stone Factory",
        "OHS",
        "OHS_NO_TRAINING",
        "finding",
        400,
        "audit",
        "high",
        120,
        "No safety induction for new saw operators.",
        False,
    ),
    (
        "Nan'an Shuitou Xinyuan Stone Factory",
        "OHS",
        "OHS_NO_TRAINING",
        "remediation",
        200,
        "audit",
        "high",
        None,
        "Follow-up visit: induction held for all 120 workers, records signed, refresher planned.",
        False,
    ),
    (
        "Nan'an Shuitou Hongda Stone Processing",
        "VOICE",
        "VOICE_RETALIATION",
        "grievance",
        20,
        "grievance",
        "medium",
        1,
        "A worker reports being dismissed after asking for unpaid overtime.",
        False,
    ),
    (
        "Xiamen Haichen Stone Co., Ltd.",
        "CONTRACTS",
        "CT_DAY_LABOUR",
        "finding",
        30,
        "self_assessment",
        "high",
        12,
        "The exporter disclosed that packing in peak weeks uses "
        "day labourers from an agent, without contracts.",
        True,
    ),
]


def build(buyer: Organisation) -> None:
    by = buyer.memberships.owners().select_related("user").get().user
    today = timezone.localdate()
    facilities = {f.name_en: f for f in Facility.objects.all()}
    for (
        name,
        issue,
        indicator,
        kind,
        days,
        source,
        confidence,
        people,
        summary,
        disclosed,
    ) in EVIDENCE:
        services.evidence_record(
            organisation=buyer,
            by=by,
            facility=facilities[name],
            issue=issue,
            indicator=indicator,
            kind=kind,
            observed_on=today - timedelta(days=days),
            source_type=source,
            confidence=confidence,
            people_affected=people,
            summary=summary,
            disclosed_by_supplier=disclosed,
        )
