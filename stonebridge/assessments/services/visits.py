"""Every change to visits, findings and disputes.

A finding becomes risk evidence through `risk.services` (kind "finding", origin
"assessments.finding:<id>"), trusted by how it was found; a dispute lowers that trust until the
buyer decides, and a withdrawn finding's evidence is retracted with the buyer's reason. Who may
call which service is decided in the views and the API (`accounts/access.py`); the services check
what the record itself allows.
"""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stonebridge.accounts.models import Organisation, Role, User
from stonebridge.audit.services import record
from stonebridge.engagement.models import Relationship
from stonebridge.engagement.services.attachments import check_files
from stonebridge.languages import placed
from stonebridge.notifications.services import notify
from stonebridge.risk import services as risk
from stonebridge.risk.models import Evidence, Indicator, Issue

from ..models import CONFIDENCE, Dispute, Finding, FindingFile, Visit, VisitKind, VisitSite
from ..models.visits import LOWER, source_type_of


def _log(by: User | None, visit: Visit, verb: str, target: Any, **changes: Any) -> None:
    """In the buyer's log, whose record it is; a step by the provider's people also in the
    provider's own log, so that it sees what its people did."""
    organisations = [visit.organisation]
    if (
        visit.provider is not None
        and by is not None
        and by.memberships.filter(organisation=visit.provider).exists()
    ):
        organisations.append(visit.provider)
    for organisation in organisations:
        record(
            actor=by,
            organisation=organisation,
            verb=f"assessments.{verb}",
            target=target,
            changes=changes,
        )


def _editors(organisation: Organisation | None) -> list[User]:
    if organisation is None:
        return []
    memberships = organisation.memberships.select_related("user")
    return [m.user for m in memberships if m.allows(Role.EDITOR)]


def _supplier_people(relationship: Relationship) -> list[User]:
    if relationship.supplier is None or not relationship.shared:
        return []
    return [m.user for m in relationship.supplier.memberships.select_related("user")]


@transaction.atomic
def visit_create(
    *,
    organisation: Organisation,
    by: User | None,
    kind: str,
    visit_on: date,
    sites: Sequence[Relationship],
    scope: str = "",
    scope_zh: str = "",
    provider: Organisation | None = None,
    access_until: date | None = None,
) -> Visit:
    """Plan a visit to some of the buyer's facilities; with a provider, grant it access to
    those sites until `access_until`."""
    errors: dict[str, str] = {}
    if not sites:
        errors["sites"] = _("Choose at least one site to visit.")
    elif any(site.organisation_id != organisation.pk for site in sites):
        errors["sites"] = _("You can only visit sites you engage.")
    if provider is not None:
        if provider.kind != Organisation.Kind.SERVICE_PROVIDER:
            errors["provider"] = _("Choose a service provider.")
        if access_until is None:
            errors["access_until"] = _("Say until when the service provider may see the sites.")
        elif access_until < visit_on:
            errors["access_until"] = _("Access must last at least until the day of the visit.")
    if kind not in VisitKind.values:
        errors["kind"] = _("Choose a type of visit.")
    if errors:
        raise ValidationError(errors)
    scope, scope_zh = placed(scope.strip(), scope_zh.strip())
    visit = Visit.objects.create(
        organisation=organisation,
        kind=kind,
        visit_on=visit_on,
        scope=scope,
        scope_zh=scope_zh,
        provider=provider,
        access_until=access_until if provider else None,
        created_by=by,
    )
    VisitSite.objects.bulk_create([VisitSite(visit=visit, relationship=site) for site in sites])
    _log(
        by,
        visit,
        "visit_created",
        visit,
        kind=kind,
        visit_on=visit_on,
        sites=[site.pk for site in sites],
        provider=provider.pk if provider else None,
        access_until=access_until,
    )
    if provider is not None:
        notify(
            users=_editors(provider),
            organisation=provider,
            kind="visit_assigned",
            message=gettext_lazy("%(buyer)s asks you to do a visit on %(date)s."),
            params={"buyer": organisation.name, "date": visit_on},
            url=reverse("assessments:provider_visit", args=[provider.slug, visit.pk]),
        )
    return visit


@transaction.atomic
def visit_report(*, visit: Visit, by: User | None, report: str) -> Visit:
    """The one who did the visit says how it went."""
    if not visit.has_taken_place():
        raise ValidationError(_("The visit has not taken place yet."))
    if not report.strip():
        raise ValidationError({"report": _("Say how the visit went.")})
    visit.report = report.strip()
    visit.recorded_at = timezone.now()
    visit.save(update_fields=["report", "recorded_at"])
    _log(by, visit, "visit_reported", visit)
    return visit


def _store_files(
    files: Iterable[UploadedFile], *, finding: Finding, by: User | None, dispute: Dispute | None
) -> list[FindingFile]:
    return [
        FindingFile.objects.create(
            finding=finding,
            dispute=dispute,
            name=name,
            content_type=content_type,
            size=len(content),
            content=content,
            uploaded_by=by,
        )
        for name, content_type, content in check_files(files)
    ]


def _evidence_of(finding: Finding, by: User | None) -> Evidence:
    """The finding as risk evidence, with the confidence its kind of visit earns."""
    visit = finding.visit
    return risk.evidence_record(
        organisation=visit.organisation,
        by=by,
        facility=finding.relationship.facility,
        issue=finding.issue,
        indicator=finding.indicator,
        kind="finding",
        observed_on=visit.visit_on,
        source_type=source_type_of(visit.kind),
        confidence=CONFIDENCE[VisitKind(visit.kind)],
        summary=finding.description or finding.description_zh,
        origin=f"assessments.finding:{finding.pk}",
    )


@transaction.atomic
def finding_record(
    *,
    visit: Visit,
    by: User | None,
    site: Relationship,
    issue: Issue | str,
    severity: str,
    description: str = "",
    description_zh: str = "",
    indicator: Indicator | None = None,
    files: Iterable[UploadedFile] = (),
) -> Finding:
    """A finding of a visit that took place, at one of its sites; it counts as risk evidence
    at once and the supplier is told."""
    if isinstance(issue, str):
        issue = Issue.objects.get(pk=issue)
    errors: dict[str, str] = {}
    if not visit.has_taken_place():
        errors["__all__"] = _("Findings are recorded once the visit has taken place.")
    if not visit.visit_sites.filter(relationship=site).exists():
        errors["site"] = _("This site is not part of the visit.")
    if indicator is not None and indicator.issue_id != issue.pk:
        errors["indicator"] = _("This indicator belongs to another issue.")
    description, description_zh = placed(description.strip(), description_zh.strip())
    if not (description or description_zh):
        errors["description"] = _("Say what was found.")
    if errors:
        raise ValidationError(errors)
    checked = list(files)
    finding = Finding.objects.create(
        visit=visit,
        relationship=site,
        issue=issue,
        indicator=indicator,
        severity=severity,
        description=description,
        description_zh=description_zh,
        recorded_by=by,
    )
    _store_files(checked, finding=finding, by=by, dispute=None)
    finding.evidence = _evidence_of(finding, by)
    finding.save(update_fields=["evidence"])
    _log(by, visit, "finding_recorded", finding, site=site.pk, issue=issue.pk, severity=severity)
    if site.supplier is not None:
        notify(
            users=_supplier_people(site),
            organisation=site.supplier,
            kind="finding",
            message=gettext_lazy("A visit on %(date)s found a problem: %(issue)s."),
            params={"date": visit.visit_on, "issue": issue.name_zh or issue.name_en},
            url=reverse("assessments:workspace_finding", args=[site.supplier.slug, finding.pk]),
        )
    return finding


@transaction.atomic
def dispute_raise(
    *, finding: Finding, by: User | None, reasons: str, files: Iterable[UploadedFile] = ()
) -> Dispute:
    """The supplier disagrees: the finding counts with less confidence until the buyer
    decides."""
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.state != Finding.State.STANDS:
        raise ValidationError(_("This finding is already disputed or withdrawn."))
    if not reasons.strip():
        raise ValidationError({"reasons": _("Say why you disagree.")})
    checked = list(files)
    dispute = Dispute.objects.create(finding=finding, reasons=reasons.strip(), raised_by=by)
    _store_files(checked, finding=finding, by=by, dispute=dispute)
    finding.state = Finding.State.DISPUTED
    finding.save(update_fields=["state"])
    if finding.evidence is not None:
        current = finding.evidence.confidence
        risk.evidence_confidence_set(
            evidence=finding.evidence,
            by=by,
            confidence=LOWER.get(current, current),
            reason=str(Finding.State.DISPUTED.label),
        )
    visit = finding.visit
    _log(by, visit, "dispute_raised", dispute, finding=finding.pk)
    relationship = finding.relationship
    if relationship.supplier is not None:
        record(
            actor=by,
            organisation=relationship.supplier,
            verb="assessments.dispute_raised",
            target=dispute,
            changes={"finding": finding.pk},
        )
    notify(
        users=_editors(visit.organisation),
        organisation=visit.organisation,
        kind="finding_disputed",
        message=gettext_lazy("%(supplier)s disputes a finding at %(site)s."),
        params={
            "supplier": str(relationship.supplier or ""),
            "site": str(relationship.facility),
        },
        url=reverse("assessments:finding", args=[visit.organisation.slug, finding.pk]),
    )
    return dispute


@transaction.atomic
def dispute_resolve(
    *,
    dispute: Dispute,
    by: User | None,
    outcome: str,
    note: str,
    description: str = "",
    description_zh: str = "",
) -> Dispute:
    """The buyer decides: the finding stands (upheld) or stands as corrected, with its full
    confidence back; or it is withdrawn and its evidence retracted with the buyer's note."""
    dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
    finding = Finding.objects.select_for_update().get(pk=dispute.finding_id)
    if dispute.outcome != Dispute.Outcome.PENDING:
        raise ValidationError(_("This dispute was already decided."))
    if outcome not in (
        Dispute.Outcome.UPHELD,
        Dispute.Outcome.CORRECTED,
        Dispute.Outcome.WITHDRAWN,
    ):
        raise ValidationError({"outcome": _("Choose a decision.")})
    if not note.strip():
        raise ValidationError({"note": _("Explain your decision to the supplier.")})
    description, description_zh = placed(description.strip(), description_zh.strip())
    if outcome == Dispute.Outcome.CORRECTED and not (description or description_zh):
        raise ValidationError({"description": _("Write the corrected finding.")})
    visit = finding.visit
    evidence = finding.evidence
    if outcome == Dispute.Outcome.WITHDRAWN:
        finding.state = Finding.State.WITHDRAWN
        if evidence is not None:
            risk.evidence_retract(evidence=evidence, by=by, reason=note)
    elif outcome == Dispute.Outcome.CORRECTED:
        # Evidence is never rewritten: the first wording is withdrawn with the buyer's note and
        # the corrected finding counts in its place, with its full confidence.
        finding.state = Finding.State.STANDS
        finding.description, finding.description_zh = description, description_zh
        if evidence is not None:
            risk.evidence_retract(evidence=evidence, by=by, reason=note)
            finding.evidence = _evidence_of(finding, by)
    else:
        finding.state = Finding.State.STANDS
        if evidence is not None:
            risk.evidence_confidence_set(
                evidence=evidence,
                by=by,
                confidence=CONFIDENCE[VisitKind(visit.kind)],
                reason=str(Dispute.Outcome(outcome).label),
            )
    finding.save(update_fields=["state", "description", "description_zh", "evidence"])
    dispute.outcome = outcome
    dispute.note = note.strip()
    dispute.resolved_by = by
    dispute.resolved_at = timezone.now()
    dispute.save(update_fields=["outcome", "note", "resolved_by", "resolved_at"])
    _log(by, visit, "dispute_resolved", dispute, finding=finding.pk, outcome=outcome)
    relationship = finding.relationship
    if relationship.supplier is not None:
        notify(
            users=_supplier_people(relationship),
            organisation=relationship.supplier,
            kind="dispute_resolved",
            message=gettext_lazy("The buyer decided on your dispute: %(outcome)s."),
            params={"outcome": Dispute.Outcome(outcome).label},
            url=reverse(
                "assessments:workspace_finding", args=[relationship.supplier.slug, finding.pk]
            ),
        )
    return dispute
