"""A buyer's business relationship with a supplier's site: creating and changing it, the
supplier's answer to sharing, and the buyer's code of conduct sent and acknowledged."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stonebridge.accounts.models import Organisation, User
from stonebridge.audit.services import record
from stonebridge.languages import placed
from stonebridge.notifications.services import notify
from stonebridge.risk import services as risk
from stonebridge.supplychain import upstream
from stonebridge.supplychain.models import Facility

from ..models import Action, Code, Commitment, Relationship, Status
from .notices import log, tell


def _check_supplier(supplier: Organisation | None) -> None:
    if supplier is not None and supplier.kind != Organisation.Kind.SUPPLIER:
        raise ValidationError({"supplier": _("Choose a supplier's organisation.")})


@transaction.atomic
def relationship_create(
    *,
    organisation: Organisation,
    by: User | None,
    facility: Facility,
    supplier: Organisation | None = None,
    improvement_period_days: int | None = None,
) -> Relationship:
    _check_supplier(supplier)
    if Relationship.objects.filter(organisation=organisation, facility=facility).exists():
        raise ValidationError({"facility": _("You already engage with this facility.")})
    relationship = Relationship(organisation=organisation, facility=facility, supplier=supplier)
    if improvement_period_days is not None:
        relationship.improvement_period_days = improvement_period_days
    relationship.created_by = by
    relationship.full_clean()
    relationship.save()
    log(
        by,
        relationship,
        "relationship_created",
        relationship,
        facility=facility.pk,
        supplier=supplier.slug if supplier else None,
    )
    _ask_to_share(relationship)
    return relationship


def _ask_to_share(relationship: Relationship) -> None:
    if relationship.supplier is None:
        return
    notify(
        users=[m.user for m in relationship.supplier.memberships.select_related("user")],
        organisation=relationship.supplier,
        kind="sharing_asked",
        message=gettext_lazy(
            "%(buyer)s asks to work with you on %(site)s in StoneBridge. Accept in your workspace."
        ),
        params={"buyer": relationship.organisation.name, "site": str(relationship.facility)},
        url=reverse("engagement:workspace_home", kwargs={"org": relationship.supplier.slug}),
    )


@transaction.atomic
def relationship_update(
    *,
    relationship: Relationship,
    by: User | None,
    supplier: Organisation | None,
    improvement_period_days: int,
) -> Relationship:
    """Change the supplier's account or the improvement period. Another account is asked afresh,
    as for a new relationship: it sees nothing until it accepts, and the one before loses
    access at once."""
    _check_supplier(supplier)
    # Compared with what is stored, not with the object handed in: a form bound to it may
    # already have put the new account on it.
    stored = Relationship.objects.select_for_update().get(pk=relationship.pk)
    changed = stored.supplier_id != (supplier.pk if supplier else None)
    relationship.supplier = supplier
    relationship.improvement_period_days = improvement_period_days
    relationship.supplier_accepted_at = stored.supplier_accepted_at
    relationship.supplier_accepted_by_id = stored.supplier_accepted_by_id
    relationship.supplier_changed_at = stored.supplier_changed_at
    relationship.full_clean()
    changes: dict[str, Any] = {
        "supplier": supplier.slug if supplier else None,
        "improvement_period_days": improvement_period_days,
    }
    if changed:
        changes["previous_supplier"] = stored.supplier.slug if stored.supplier else None
        changes |= _consent_reset(relationship, had_supplier=stored.supplier_id is not None)
    relationship.save(
        update_fields=[
            "supplier",
            "improvement_period_days",
            "supplier_accepted_at",
            "supplier_accepted_by",
            "supplier_changed_at",
        ]
    )
    log(by, relationship, "relationship_updated", relationship, **changes)
    if changed:
        _ask_to_share(relationship)
    return relationship


def _consent_reset(relationship: Relationship, *, had_supplier: bool) -> dict[str, int]:
    """Another account must accept afresh. The old one's people own nothing here any more, its
    acknowledgement of the code is not the new one's, and no red flag raised while it was the
    supplier stands against the new one: the clocks start again at the new acceptance."""
    now = timezone.now()
    relationship.supplier_accepted_at = None
    relationship.supplier_accepted_by = None
    if had_supplier:
        relationship.supplier_changed_at = now
    return {
        "owners_cleared": Action.objects.filter(
            plan__relationship=relationship, supplier_owner__isnull=False
        ).update(supplier_owner=None),
        "acknowledgements_cleared": relationship.commitments.filter(
            acknowledged_at__isnull=False
        ).update(acknowledged_at=None, acknowledged_by=None),
        "flags_cleared": relationship.flags.filter(cleared_at__isnull=True).update(cleared_at=now),
    }


@transaction.atomic
def sharing_answer(*, relationship: Relationship, by: User, accept: bool) -> Relationship:
    """The supplier accepts to see what the buyer shares, or declines (the buyer may then name
    another account)."""
    relationship = Relationship.objects.select_for_update().get(pk=relationship.pk)
    if relationship.supplier is None or relationship.shared:
        raise ValidationError(_("There is nothing to answer."))
    supplier = relationship.supplier
    # Logged while the supplier is still named, so that a decline is in its own log too.
    log(by, relationship, "sharing_answered", relationship, supplier=supplier.slug, accepted=accept)
    if accept:
        relationship.supplier_accepted_at = timezone.now()
        relationship.supplier_accepted_by = by
    else:
        relationship.supplier = None
    relationship.save(update_fields=["supplier", "supplier_accepted_at", "supplier_accepted_by"])
    if accept:
        # The buyer now receives what the supplier has disclosed about its site.
        upstream.upstream_share_site(
            organisation=supplier,
            site=relationship.facility,
            buyer=relationship.organisation,
            by=by,
        )
        risk.workforce_disclosure_share(
            supplier=supplier,
            facility=relationship.facility,
            buyer=relationship.organisation,
            origin=f"engagement.relationship:{relationship.pk}",
        )
    tell(
        relationship,
        supplier_side=False,
        kind="sharing_answered",
        message=(
            gettext_lazy("%(supplier)s accepted to work with you on %(site)s.")
            if accept
            else gettext_lazy("%(supplier)s declined to work with you on %(site)s in StoneBridge.")
        ),
        params={"supplier": supplier.name_zh or supplier.name, "site": str(relationship.facility)},
        view="relationship",
        relationship_id=relationship.pk,
    )
    return relationship


def check_open(relationship: Relationship) -> None:
    if relationship.status == Status.EXITED:
        raise ValidationError(_("The relationship has ended: only remediation can continue."))


@transaction.atomic
def code_publish(
    *,
    organisation: Organisation,
    by: User | None,
    title: str,
    text_en: str,
    text_zh: str,
    title_zh: str = "",
) -> Code:
    """A new version of the buyer's code of conduct; versions already sent stay as they were."""
    latest = organisation.codes.aggregate(v=Max("version"))["v"] or 0
    title, title_zh = placed(title.strip(), title_zh.strip())
    code = Code(
        organisation=organisation,
        version=latest + 1,
        title=title,
        title_zh=title_zh,
        text_en=text_en.strip(),
        text_zh=text_zh.strip(),
        created_by=by,
    )
    code.full_clean()
    code.save()
    record(
        actor=by,
        organisation=organisation,
        verb="engagement.code_published",
        target=code,
        changes={"version": code.version},
    )
    return code


@transaction.atomic
def code_send(*, relationship: Relationship, by: User | None, code: Code) -> Commitment:
    if code.organisation_id != relationship.organisation_id:
        raise ValidationError({"code": _("This code belongs to another organisation.")})
    if relationship.supplier_id is None:
        raise ValidationError(
            {"code": _("Name the supplier's account first, so that someone can acknowledge it.")}
        )
    if relationship.commitments.filter(code=code).exists():
        raise ValidationError({"code": _("This version was already sent to this supplier.")})
    commitment = Commitment.objects.create(relationship=relationship, code=code, sent_by=by)
    log(by, relationship, "code_sent", commitment, version=code.version)
    tell(
        relationship,
        supplier_side=True,
        kind="code_sent",
        message=gettext_lazy("%(buyer)s asks you to read and acknowledge its code of conduct."),
        params={"buyer": relationship.organisation.name},
        view="home",
    )
    return commitment


@transaction.atomic
def code_acknowledge(*, commitment: Commitment, by: User) -> Commitment:
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if commitment.acknowledged_at is not None:
        raise ValidationError(_("This code was already acknowledged."))
    commitment.acknowledged_at = timezone.now()
    commitment.acknowledged_by = by
    commitment.save(update_fields=["acknowledged_at", "acknowledged_by"])
    log(
        by,
        commitment.relationship,
        "code_acknowledged",
        commitment,
        version=commitment.code.version,
    )
    return commitment
