"""Dates, files and the two steps most visit tests take: planning a visit and recording a
finding."""

from datetime import timedelta

from django.utils import timezone

from stonebridge.assessments.services import visits

TODAY = timezone.localdate()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
# A Windows program, whatever its name says.
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def plan_visit(buyer, owner, sites, provider=None, kind="announced", on=TODAY, until=None):
    return visits.visit_create(
        organisation=buyer,
        by=owner,
        kind=kind,
        visit_on=on,
        sites=sites,
        scope="Dust and hours.",
        provider=provider,
        access_until=until or (on + timedelta(days=14) if provider else None),
    )


def record(visit, by, site, issue="OHS", files=(), **values):
    return visits.finding_record(
        visit=visit,
        by=by,
        site=site,
        issue=issue,
        severity=values.pop("severity", "high"),
        description=values.pop("description", "Dry cutting without dust extraction."),
        files=list(files),
        **values,
    )
