"""Every change to risk data, and the recomputation of stored scores.

Apps that produce evidence (assessments, grievances, engagement) record it here; risk imports
none of them (DESIGN.md, rule 5). Recording writes the audit log and queues a recomputation of
just the facility it concerns.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stonebridge import bulk
from stonebridge.accounts.models import Organisation, User
from stonebridge.audit.services import record
from stonebridge.supplychain.models import ChainPosition, Facility

from . import facts, persistence, tasks
from .models import (
    WORKFORCE_FIELDS,
    Confidence,
    Evidence,
    EvidenceKind,
    Indicator,
    Issue,
    RegisterExport,
    Score,
    WorkforceSource,
    WorkforceStatement,
)


def _clean_evidence(
    *,
    issue: Issue,
    indicator: Indicator | None,
    kind: str,
    observed_on: date,
    improved: Any,
    summary: str,
) -> None:
    errors: dict[str, str] = {}
    if not summary.strip():
        errors["summary"] = _("Say what was found.")
    if indicator is not None and indicator.issue_id != issue.pk:
        errors["indicator"] = _("This indicator belongs to another issue.")
    if observed_on > timezone.localdate():
        errors["observed_on"] = _("The date cannot be in the future.")
    if kind == EvidenceKind.OUTCOME and improved is None:
        errors["improved"] = _("Say whether the measured outcome improved.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def evidence_record(
    *,
    organisation: Organisation,
    by: User | None,
    facility: Facility,
    issue: Issue | str,
    kind: str,
    observed_on: date,
    source_type: str,
    summary: str,
    confidence: str = "medium",
    indicator: Indicator | str | None = None,
    people_affected: int | None = None,
    improved: bool | None = None,
    disclosed_by_supplier: bool = False,
    origin: str = "",
) -> Evidence:
    if isinstance(issue, str):
        issue = Issue.objects.get(pk=issue)
    if isinstance(indicator, str):
        indicator = Indicator.objects.get(code=indicator) if indicator else None
    _clean_evidence(
        issue=issue,
        indicator=indicator,
        kind=kind,
        observed_on=observed_on,
        improved=improved,
        summary=summary,
    )
    evidence = Evidence(
        organisation=organisation,
        facility=facility,
        issue=issue,
        indicator=indicator,
        kind=kind,
        observed_on=observed_on,
        source_type=source_type,
        confidence=confidence,
        people_affected=people_affected,
        improved=improved if kind == EvidenceKind.OUTCOME else None,
        disclosed_by_supplier=disclosed_by_supplier,
        summary=summary.strip(),
        origin=origin,
        recorded_by=by,
    )
    evidence.full_clean()
    evidence.save()
    record(
        actor=by,
        organisation=organisation,
        verb="risk.evidence_recorded",
        target=evidence,
        changes={
            "facility": facility.pk,
            "issue": issue.pk,
            "indicator": indicator.code if indicator else None,
            "kind": kind,
            "observed_on": observed_on.isoformat(),
            "confidence": confidence,
            "disclosed_by_supplier": disclosed_by_supplier,
        },
    )
    tasks.recompute_facility.enqueue(facility_id=facility.pk, organisation_id=organisation.pk)
    return evidence


@transaction.atomic
def evidence_retract(*, evidence: Evidence, by: User | None, reason: str) -> Evidence:
    """A mistaken entry stops counting; the record and the reason stay."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this evidence is withdrawn.")})
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if evidence.retracted_at is not None:
        raise ValidationError(_("This evidence was already withdrawn."))
    evidence.retracted_at = timezone.now()
    evidence.retraction_reason = reason.strip()
    evidence.save(update_fields=["retracted_at", "retraction_reason"])
    record(
        actor=by,
        organisation=evidence.organisation,
        verb="risk.evidence_retracted",
        target=evidence,
        changes={"reason": evidence.retraction_reason},
    )
    tasks.recompute_facility.enqueue(
        facility_id=evidence.facility_id, organisation_id=evidence.organisation_id
    )
    return evidence


@transaction.atomic
def evidence_confidence_set(
    *, evidence: Evidence, by: User | None, confidence: str, reason: str
) -> Evidence:
    """How far a piece of evidence is trusted changed (a finding disputed, then resolved): it
    counts with the new confidence from now on, and the log says why."""
    if confidence not in Confidence.values:
        raise ValidationError({"confidence": _("Choose low, medium or high.")})
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if evidence.confidence == confidence:
        return evidence
    before = evidence.confidence
    evidence.confidence = confidence
    evidence.save(update_fields=["confidence"])
    record(
        actor=by,
        organisation=evidence.organisation,
        verb="risk.evidence_confidence_changed",
        target=evidence,
        changes={"confidence": [before, confidence], "reason": reason},
    )
    tasks.recompute_facility.enqueue(
        facility_id=evidence.facility_id, organisation_id=evidence.organisation_id
    )
    return evidence


def _workforce_changes(statement: WorkforceStatement) -> dict[str, Any]:
    return {
        "facility": statement.facility_id,
        "source": statement.source,
        **{field: getattr(statement, field) for field in WORKFORCE_FIELDS},
    }


@transaction.atomic
def workforce_state(
    *,
    organisation: Organisation,
    by: User | None,
    facility: Facility,
    workers: int | None = None,
    migrant_share: Decimal | None = None,
    dispatched_share: Decimal | None = None,
    intern_share: Decimal | None = None,
) -> WorkforceStatement:
    """A buyer states who works at a facility, for its own scores only."""
    figures = {
        "workers": workers,
        "migrant_share": migrant_share,
        "dispatched_share": dispatched_share,
        "intern_share": intern_share,
    }
    return workforce_state_many(organisation=organisation, by=by, figures={facility.pk: figures})[0]


@transaction.atomic
def workforce_state_many(
    *, organisation: Organisation, by: User | None, figures: dict[int, dict[str, Any]]
) -> list[WorkforceStatement]:
    """As `workforce_state`, for many facilities at once (a buyer's imported list): one audit
    entry, and one rescoring of the buyer's chain when there are many."""
    if not organisation.has_chain:
        raise PermissionDenied(_("Only a buyer keeps a supply chain in StoneBridge."))
    stated_at = timezone.now()
    statements = []
    for facility_id, values in figures.items():
        statement = WorkforceStatement(
            organisation_id=organisation.pk,
            facility_id=facility_id,
            source=WorkforceSource.BUYER,
            stated_at=stated_at,
            recorded_by_id=by.pk if by else None,
            **{field: values.get(field) for field in WORKFORCE_FIELDS},
        )
        # The references are the caller's own; checking them would cost two queries a row.
        statement.clean_fields(exclude=["organisation", "facility", "recorded_by", "disclosed_by"])
        statements.append(statement)
    if not statements:
        return []
    if len(statements) == 1:
        statement = statements[0]
        statement.save()
        record(
            actor=by,
            organisation=organisation,
            verb="risk.workforce_stated",
            target=statement,
            changes=_workforce_changes(statement),
        )
        tasks.recompute_facility.enqueue(
            facility_id=statement.facility_id, organisation_id=organisation.pk
        )
    else:
        # A list's figures are read by facility, never by the statement's id: no ids come back.
        bulk.insert(WorkforceStatement, statements)
        record(
            actor=by,
            organisation=organisation,
            verb="risk.workforce_stated",
            target=organisation,
            changes={"facilities": len(statements)},
        )
        tasks.recompute_organisation.enqueue(
            organisation_id=organisation.pk, requested_at=timezone.now().isoformat()
        )
    return statements


@transaction.atomic
def workforce_disclose(
    *,
    supplier: Organisation,
    by: User | None,
    facility: Facility,
    buyers: list[Organisation],
    workers: int | None = None,
    migrant_share: Decimal | None = None,
    dispatched_share: Decimal | None = None,
    intern_share: Decimal | None = None,
    origin: str = "",
) -> list[WorkforceStatement]:
    """A supplier discloses who works at its own site to the buyers it has accepted to work
    with. The app that knows those (engagement) checks that the site is the supplier's and that
    it accepted each buyer; risk records one statement for each buyer's scores."""
    if not buyers:
        raise ValidationError(_("No buyer you work with receives this facility's figures."))
    stated_at = timezone.now()
    statements = []
    for buyer in buyers:
        statement = WorkforceStatement(
            organisation=buyer,
            facility=facility,
            source=WorkforceSource.SUPPLIER,
            disclosed_by=supplier,
            workers=workers,
            migrant_share=migrant_share,
            dispatched_share=dispatched_share,
            intern_share=intern_share,
            stated_at=stated_at,
            recorded_by=by,
            origin=origin,
        )
        statement.full_clean()
        statement.save()
        statements.append(statement)
        record(
            actor=by,
            organisation=buyer,
            verb="risk.workforce_disclosed",
            target=statement,
            changes=_workforce_changes(statement),
        )
        tasks.recompute_facility.enqueue(facility_id=facility.pk, organisation_id=buyer.pk)
    record(
        actor=by,
        organisation=supplier,
        verb="risk.workforce_disclosed",
        target=statements[0],
        changes={**_workforce_changes(statements[0]), "buyers": len(statements)},
    )
    return statements


def workforce_disclosure_share(
    *, supplier: Organisation, facility: Facility, buyer: Organisation, origin: str = ""
) -> WorkforceStatement | None:
    """A buyer the supplier has just accepted receives the supplier's newest disclosure about
    that site, as it was disclosed and dated."""
    latest = (
        WorkforceStatement.objects.filter(
            disclosed_by=supplier, facility=facility, source=WorkforceSource.SUPPLIER
        )
        .newest_first()
        .first()
    )
    if latest is None:
        return None
    shared = WorkforceStatement.objects.filter(
        organisation=buyer,
        facility=facility,
        disclosed_by=supplier,
        stated_at=latest.stated_at,
    ).first()
    if shared is not None:
        return shared
    with transaction.atomic():
        shared = WorkforceStatement.objects.create(
            organisation=buyer,
            facility=facility,
            source=WorkforceSource.SUPPLIER,
            disclosed_by=supplier,
            stated_at=latest.stated_at,
            recorded_by=latest.recorded_by,
            origin=origin or latest.origin,
            **{field: getattr(latest, field) for field in WORKFORCE_FIELDS},
        )
        record(
            actor=latest.recorded_by,
            organisation=buyer,
            verb="risk.workforce_disclosed",
            target=shared,
            changes=_workforce_changes(shared),
        )
        tasks.recompute_facility.enqueue(facility_id=facility.pk, organisation_id=buyer.pk)
    return shared


# Recomputation writes derived rows only: no audit entry of its own (the change that caused it
# has one), like the supply-chain tiers.


def evidence_origin_move(*, old: str, new: str) -> int:
    """Evidence another app recorded for one of its rows now comes from another row (two
    records merged), so that app still finds it. The evidence itself is unchanged."""
    return Evidence.objects.filter(origin=old).update(origin=new)


def recompute_organisation(*, organisation: Organisation) -> int:
    """Every facility in one buyer's chain, from scratch. Returns the number of scores."""
    taxonomy = facts.taxonomy()
    with transaction.atomic():
        chunks = persistence.score_chain(organisation, taxonomy, timezone.localdate())
        return persistence.replace_scores(organisation.pk, chunks)


def recompute_facility(*, facility_id: int, organisation_id: int | None = None) -> int:
    """One facility: what a new piece of evidence (one buyer's own) or a change to the shared
    registry record (every buyer whose chain holds it) changes."""
    taxonomy = facts.taxonomy()
    total = 0
    for holder in persistence.chains_holding(facility_id):
        if organisation_id is not None and holder != organisation_id:
            continue
        with transaction.atomic():
            rows = persistence.score_one(holder, facility_id, taxonomy)
            if rows is None:  # not scored yet in this chain: score the chain
                organisation = Organisation.objects.get(pk=holder)
                chunks = persistence.score_chain(organisation, taxonomy, timezone.localdate())
                total += persistence.replace_scores(holder, chunks)
            else:
                total += persistence.replace_scores(holder, [rows], facility_id=facility_id)
    return total


# Beyond this many changed facilities in one chain, rescoring the whole chain is quicker.
MANY = 200


def recompute_facilities(*, facility_ids: list[int]) -> int:
    """Registry records changed: rescore them for every buyer whose chain holds them."""
    held: dict[int, list[int]] = {}
    for start in range(0, len(facility_ids), 5000):
        for organisation_id, facility_id in ChainPosition.objects.filter(
            facility_id__in=facility_ids[start : start + 5000]
        ).values_list("organisation_id", "facility_id"):
            held.setdefault(organisation_id, []).append(facility_id)
    total = 0
    for organisation_id, ids in sorted(held.items()):
        if len(ids) > MANY:
            organisation = Organisation.objects.get(pk=organisation_id)
            total += recompute_organisation(organisation=organisation)
        else:
            total += sum(
                recompute_facility(facility_id=f, organisation_id=organisation_id) for f in ids
            )
    return total


def recompute_all(*, organisation: Organisation | None = None) -> int:
    if organisation is not None:
        return recompute_organisation(organisation=organisation)
    # Buyers with a chain, and those whose chain emptied since they were last scored.
    ids = set(ChainPosition.objects.values_list("organisation_id", flat=True).distinct())
    ids |= set(Score.objects.values_list("organisation_id", flat=True).distinct())
    return sum(
        recompute_organisation(organisation=o)
        for o in Organisation.objects.filter(pk__in=ids).order_by("pk")
    )


def register_export_start(
    *, organisation: Organisation, by: User | None, fmt: str, query: Any
) -> RegisterExport:
    """Queue a large register download for the task worker, with the page's filters."""
    if fmt not in exporting_formats():
        raise ValueError(f"unknown download format {fmt!r}")
    params = query.copy()
    params.pop("after", None)
    with transaction.atomic():
        export = RegisterExport.objects.create(
            organisation=organisation, created_by=by, fmt=fmt, query=params.urlencode()
        )
        record(
            actor=by,
            organisation=organisation,
            verb="risk.register_exported",
            target=export,
            changes={"format": fmt, "filters": export.query},
        )
        tasks.write_register_export.enqueue(export_id=export.pk)
    export.refresh_from_db()  # an in-process task backend has written it already
    return export


def exporting_formats() -> tuple[str, ...]:
    return ("csv", "xlsx")
