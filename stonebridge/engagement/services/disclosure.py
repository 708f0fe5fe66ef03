"""What the supplier tells its buyers: answers to the buyer's requests, problems it discloses,
who supplies or works for its own site, and who works there."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stonebridge.accounts.models import Organisation, User
from stonebridge.languages import placed
from stonebridge.risk import services as risk
from stonebridge.risk.models import Evidence, EvidenceKind, SourceType, WorkforceStatement
from stonebridge.supplychain import services as supplychain
from stonebridge.supplychain import upstream
from stonebridge.supplychain.models import Facility, UpstreamDisclosure

from ..models import Relationship, Request, Status
from .notices import log, log_for_supplier, tell
from .relationships import check_open


@transaction.atomic
def request_create(
    *,
    relationship: Relationship,
    by: User | None,
    kind: str,
    text: str = "",
    text_zh: str = "",
    due_on: date,
) -> Request:
    check_open(relationship)
    text, text_zh = placed(text.strip(), text_zh.strip())
    if not (text or text_zh):
        raise ValidationError({"text": _("Write what you ask, in English, Chinese or both.")})
    request = Request(
        relationship=relationship,
        kind=kind,
        text=text,
        text_zh=text_zh,
        due_on=due_on,
        created_by=by,
    )
    request.full_clean()
    request.save()
    log(by, relationship, "request_created", request, kind=kind, due_on=due_on)
    tell(
        relationship,
        supplier_side=True,
        kind="request",
        message=gettext_lazy("%(buyer)s asks: %(text)s (answer by %(due)s)"),
        params={
            "buyer": relationship.organisation.name,
            "text": (request.text_zh or request.text)[:120],
            "due": due_on,
        },
        view="request",
        request_id=request.pk,
    )
    return request


@transaction.atomic
def request_answer(
    *, request: Request, by: User, answer: str = "", refuse: bool = False, reason: str = ""
) -> Request:
    """The supplier answers, or says it cannot, with its reason: the buyer sees both, and a
    refusal counts towards a red flag."""
    request = Request.objects.select_for_update().get(pk=request.pk)
    if request.state != Request.State.OPEN:
        raise ValidationError(_("This request was already answered."))
    text = (reason if refuse else answer).strip()
    if not text:
        if refuse:
            raise ValidationError({"reason": _("Tell your buyer why you cannot provide this.")})
        raise ValidationError({"answer": _("Write your answer, or why you cannot give it.")})
    request.state = Request.State.REFUSED if refuse else Request.State.ANSWERED
    request.answer = text
    request.answered_at = timezone.now()
    request.answered_by = by
    request.save(update_fields=["state", "answer", "answered_at", "answered_by"])
    relationship = request.relationship
    log(by, relationship, "request_answered", request, refused=refuse)
    tell(
        relationship,
        supplier_side=False,
        kind="supplier_report",
        message=(
            gettext_lazy("%(who)s cannot provide what you asked (%(text)s): %(answer)s")
            if refuse
            else gettext_lazy("%(who)s answered your request: %(text)s")
        ),
        params={"who": str(by), "text": request.text[:120], "answer": text[:200]},
        view="relationship",
        relationship_id=relationship.pk,
    )
    return request


@transaction.atomic
def finding_disclose(
    *,
    relationship: Relationship,
    by: User,
    issue: str,
    summary: str,
    observed_on: date,
    indicator: str = "",
    people_affected: int | None = None,
) -> Evidence:
    """A problem the supplier tells its buyer about. It counts in the buyer's risk register as
    a finding disclosed by the supplier, and never raises a red flag (no zero tolerance)."""
    evidence = risk.evidence_record(
        organisation=relationship.organisation,
        by=by,
        facility=relationship.facility,
        issue=issue,
        indicator=indicator or None,
        kind=EvidenceKind.FINDING,
        observed_on=observed_on,
        source_type=SourceType.SELF_ASSESSMENT,
        summary=summary,
        people_affected=people_affected,
        disclosed_by_supplier=True,
        origin=f"engagement.relationship:{relationship.pk}",
    )
    log_for_supplier(by, relationship, "finding_disclosed", evidence, issue=issue)
    tell(
        relationship,
        supplier_side=False,
        kind="supplier_report",
        message=gettext_lazy("%(who)s disclosed a problem: %(text)s"),
        params={"who": str(by), "text": evidence.summary[:120]},
        view="relationship",
        relationship_id=relationship.pk,
    )
    return evidence


def _buyers_at(supplier: Organisation, site: Facility) -> list[Organisation]:
    """The buyers a supplier has accepted to work with at one of its own sites."""
    buyers = [
        r.organisation
        for r in Relationship.objects.shared_with(supplier)
        .filter(facility=site)
        .exclude(status=Status.EXITED)
        .select_related("organisation")
        .order_by("pk")
    ]
    if not buyers:
        raise ValidationError(_("This is not a site you have accepted to work on with a buyer."))
    return buyers


@transaction.atomic
def upstream_disclose(
    *,
    supplier: Organisation,
    by: User,
    site: Facility,
    customer: Facility,
    kind: str,
    facility: Facility | None = None,
    new_facility: dict[str, Any] | None = None,
    product: str = "",
    stone_type: str = "",
    share: Decimal | None = None,
) -> UpstreamDisclosure:
    """The supplier discloses who supplies or works for its own site (`facility` supplies
    `customer`), to every buyer it has accepted there. A facility not yet in the registry is
    added from `new_facility`."""
    buyers = _buyers_at(supplier, site)
    if facility is None:
        facility = supplychain.facility_create(organisation=supplier, by=by, **(new_facility or {}))
    return upstream.upstream_disclose(
        organisation=supplier,
        by=by,
        site=site,
        customer=customer,
        supplier=facility,
        kind=kind,
        buyers=buyers,
        product=product,
        stone_type=stone_type,
        share=share,
    )


@transaction.atomic
def workforce_disclose(
    *,
    supplier: Organisation,
    by: User,
    facility: Facility,
    workers: int | None = None,
    migrant_share: Decimal | None = None,
    dispatched_share: Decimal | None = None,
    intern_share: Decimal | None = None,
) -> list[WorkforceStatement]:
    """The supplier says who works at its own site: a facility of a relationship it has
    accepted. Every buyer it accepted for that site receives the figures, labelled as
    disclosed by the supplier; each buyer's own figures, when newer, still count for it."""
    return risk.workforce_disclose(
        supplier=supplier,
        by=by,
        facility=facility,
        buyers=_buyers_at(supplier, facility),
        workers=workers,
        migrant_share=migrant_share,
        dispatched_share=dispatched_share,
        intern_share=intern_share,
        origin=f"engagement.supplier:{supplier.pk}",
    )
