"""Every change to the registry's facilities and a buyer's links and sourcing. Each writes the
audit log and keeps tiers current. Merging two records is in merge.py, a supplier's disclosed
upstream in upstream.py."""

import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stonebridge.accounts.models import Organisation, User
from stonebridge.audit.models import Entry
from stonebridge.audit.services import record

from . import chain, firms, owners, queries, summary
from .codes import validate_credit_code
from .models import (
    WORKFORCE_FIELDS,
    ChainPosition,
    Facility,
    Link,
    Sourcing,
    pack_codes,
)
from .names import search_keys
from .signals import chain_changed, facility_changed, workforce_stated

FACILITY_FIELDS = {
    "kind",
    "name_zh",
    "name_en",
    "aliases",
    "country",
    "province",
    "city",
    "district",
    "address",
    "latitude",
    "longitude",
    "credit_code",
    "activities",
    "stone_types",
    "workers",
    "migrant_share",
    "dispatched_share",
    "intern_share",
    "os_hub_id",
}


def prepare_facility(facility: Facility) -> None:
    """Normalise and check a facility before it is saved (also used by bulk import)."""
    if not (facility.name_zh or facility.name_en):
        raise ValidationError({"name_zh": _("Give the name in Chinese, or in English or pinyin.")})
    if facility.credit_code:
        try:
            facility.credit_code = validate_credit_code(facility.credit_code)
        except ValidationError as error:
            raise ValidationError({"credit_code": error.messages}) from None
    else:
        facility.credit_code = None
    facility.country = facility.country.upper()
    facility.search_text = search_keys(facility.name_zh, facility.name_en, *facility.aliases)
    facility.name_parts = firms.keep(facility.name_zh, facility.name_en)


def _assign(facility: Facility, values: dict[str, Any]) -> None:
    unknown = set(values) - FACILITY_FIELDS
    if unknown:
        raise ValueError(f"not facility fields: {sorted(unknown)}")
    for field, value in values.items():
        if field in ("activities", "stone_types") and isinstance(value, list | tuple):
            value = pack_codes(list(value))
        setattr(facility, field, value)


def _state_workforce(
    organisation: Organisation, by: User | None, facility: Facility, values: dict[str, Any]
) -> None:
    figures = {field: values[field] for field in WORKFORCE_FIELDS if field in values}
    if any(value is not None for value in figures.values()):
        require_chain(organisation)
        workforce_stated.send(
            sender=Facility, organisation=organisation, by=by, figures={facility.pk: figures}
        )


@transaction.atomic
def facility_create(*, organisation: Organisation, by: User | None, **values: Any) -> Facility:
    """A new record in the shared registry. Workforce figures given with it are also the
    creating buyer's own statement, which is what its scores read."""
    if any(values.get(field) is not None for field in WORKFORCE_FIELDS):
        require_chain(organisation)
    facility = Facility()
    _assign(facility, values)
    prepare_facility(facility)
    facility.full_clean()
    facility.save()
    record(
        actor=by,
        organisation=organisation,
        verb="facility.created",
        target=facility,
        changes={k: v for k, v in values.items() if v not in ("", None, [])},
    )
    _state_workforce(organisation, by, facility, values)
    return facility


def require_chain(organisation: Organisation) -> None:
    """Sourcing and links describe a buyer's own chain; an organisation without one (a supplier,
    a covenant, a service provider) cannot put facilities in a chain or state the figures that
    feed a buyer's risk scores."""
    if not organisation.has_chain:
        raise PermissionDenied(_("Only a buyer keeps a supply chain in StoneBridge."))


def tell_holders(
    *, editor: Organisation, by: User | None, changes: Mapping[Facility, dict[str, Any]]
) -> None:
    """A change to the shared record shows in the log of every organisation whose chain holds
    the facility. The editor is named only when it is the facility's own supplier or staff:
    otherwise the log says "another organisation", since who buys from whom stays private.
    `changes` gives each changed facility's fields as [before, after]."""
    by_pk = {facility.pk: facility for facility in changes}
    held = (
        ChainPosition.objects.filter(facility__in=list(by_pk))
        .exclude(organisation=editor)
        .select_related("organisation")
        .order_by("facility_id", "organisation_id")
    )
    for position in held:
        facility = by_pk[position.facility_id]
        named = (by is not None and by.is_staff) or owners.is_own_supplier(editor, facility)
        record(
            actor=by if named else None,
            organisation=position.organisation,
            verb="facility.changed_elsewhere",
            target=facility,
            changes=changes[facility],
        )


@transaction.atomic
def facility_update(
    *, facility: Facility, organisation: Organisation, by: User | None, **values: Any
) -> Facility:
    """Correct the shared record. Workforce figures never change it: they become the editing
    buyer's own statement, so one buyer's figures never move another's scores."""
    if not queries.may_edit(organisation, facility):
        raise PermissionDenied
    workforce = {field: values.pop(field) for field in WORKFORCE_FIELDS if field in values}
    if workforce:
        require_chain(organisation)
        _state_workforce(organisation, by, facility, workforce)
    before = {field: getattr(facility, field) for field in values}
    _assign(facility, values)
    prepare_facility(facility)
    facility.updated_at = timezone.now()
    facility.full_clean()
    facility.save()
    changes = {
        f: [before[f], getattr(facility, f)] for f in values if before[f] != getattr(facility, f)
    }
    if changes:
        record(
            actor=by,
            organisation=organisation,
            verb="facility.updated",
            target=facility,
            changes=changes,
        )
        tell_holders(editor=organisation, by=by, changes={facility: changes})
        facility_changed.send(sender=Facility, facility_ids=[facility.pk])
    return facility


FACILITY_CHANGES = ("facility.updated", "facility.changed_elsewhere")


def _same(current: Any, recorded: Any) -> bool:
    """Is the field still as the log recorded it? The log keeps values as JSON (decimals as
    text, so 24.48 and 24.480000 are the same)."""
    current = json.loads(json.dumps(current, default=str))
    if current == recorded:
        return True
    try:
        return Decimal(str(current)) == Decimal(str(recorded))
    except (InvalidOperation, ValueError):
        return False


@transaction.atomic
def facility_revert(*, entry: Entry, organisation: Organisation, by: User | None) -> Facility:
    """Put back what a logged change to a facility's record replaced, unless a field it changed
    has changed again since (revert the newer change first)."""
    if entry.verb not in FACILITY_CHANGES or entry.target_type != "supplychain.facility":
        raise ValueError(f"not a change to a facility: {entry.verb}")
    facility = Facility.objects.select_for_update().get(pk=int(entry.target_id))
    changed = {
        field: pair
        for field, pair in entry.changes.items()
        if field in FACILITY_FIELDS and field not in WORKFORCE_FIELDS
    }
    if not changed:
        raise ValidationError(_("This change has nothing in the shared record to put back."))
    since = [
        str(getattr(Facility._meta.get_field(field), "verbose_name", field))
        for field, (_old, new) in changed.items()
        if not _same(getattr(facility, field), new)
    ]
    if since:
        raise ValidationError(
            _("Changed again since: %(fields)s. Put back the newer change first.")
            % {"fields": ", ".join(since)}
        )
    return facility_update(
        facility=facility,
        organisation=organisation,
        by=by,
        **{field: old for field, (old, _new) in changed.items()},
    )


def chain_rebuild(*, organisation: Organisation) -> int:
    """Recompute the buyer's tiers and tracing from its links and sourcing. Derived data: no
    audit entry of its own (the change that caused it has one)."""
    edges = queries.chain_edges(organisation)
    direct = list(
        Sourcing.objects.filter(organisation=organisation).values_list("facility_id", flat=True)
    )
    tier_of = chain.tiers(direct, edges)
    # Quarries found through the buyer's links, not by id: a large chain's ids would overflow
    # SQLite's limit on query parameters.
    quarries = set(
        Facility.objects.filter(kind=Facility.Kind.QUARRY, links_out__organisation=organisation)
        .values_list("pk", flat=True)
        .distinct()
    ) | set(
        Facility.objects.filter(
            kind=Facility.Kind.QUARRY, sourcing__organisation=organisation
        ).values_list("pk", flat=True)
    )
    traced = chain.traced_shares(tier_of, edges, quarries)
    with transaction.atomic():
        ChainPosition.objects.filter(organisation=organisation).delete()
        ChainPosition.objects.bulk_create(
            [
                ChainPosition(
                    organisation=organisation, facility_id=f, tier=t, traced_share=traced[f]
                )
                for f, t in tier_of.items()
            ],
            batch_size=2000,
        )
        summary.refresh(organisation=organisation)
    chain_changed.send(sender=Organisation, organisation=organisation)
    return len(tier_of)


def refuse_loop(edges: list[chain.Edge], supplier: Facility, customer: Facility) -> None:
    """A link from supplier to customer must not close a loop in the edges it joins (a buyer's
    chain, or what a supplier disclosed of its own upstream)."""
    if chain.creates_cycle(edges, supplier.pk, customer.pk):
        raise ValidationError(
            {
                "supplier": _(
                    "%(supplier)s already receives goods from %(customer)s: "
                    "this link would make a loop."
                )
                % {"supplier": supplier, "customer": customer}
            }
        )


@transaction.atomic
def link_create(
    *,
    organisation: Organisation,
    by: User | None,
    customer: Facility,
    kind: str,
    supplier: Facility | None = None,
    product: str = "",
    stone_type: str = "",
    share: Decimal | None = None,
    volume: Decimal | None = None,
    origin_country: str = "",
) -> Link:
    require_chain(organisation)
    if supplier is not None:
        refuse_loop(queries.chain_edges(organisation, upstream_of=supplier.pk), supplier, customer)
    link = Link(
        organisation=organisation,
        kind=kind,
        supplier=supplier,
        customer=customer,
        product=product,
        stone_type=stone_type,
        share=share,
        volume=volume,
        origin_country=origin_country.upper(),
    )
    link.full_clean()
    link.save()
    record(
        actor=by,
        organisation=organisation,
        verb="link.created",
        target=link,
        changes={"kind": kind, "supplier": str(supplier or ""), "customer": str(customer)},
    )
    chain_rebuild(organisation=organisation)
    return link


LINK_DETAILS = {"product", "stone_type", "share", "volume", "origin_country"}


@transaction.atomic
def link_update(*, link: Link, by: User | None, **values: Any) -> Link:
    """Change what a link carries; who supplies whom is a new link, not an edit."""
    if not set(values) <= LINK_DETAILS:
        raise ValueError(f"only {sorted(LINK_DETAILS)} can be changed")
    require_chain(link.organisation)
    changes = {k: [getattr(link, k), v] for k, v in values.items() if getattr(link, k) != v}
    for field, value in values.items():
        setattr(link, field, value)
    link.origin_country = link.origin_country.upper()
    link.full_clean()
    link.save()
    record(
        actor=by, organisation=link.organisation, verb="link.updated", target=link, changes=changes
    )
    if changes.keys() & {"share", "volume", "origin_country"}:
        # Shares, volumes and origins weigh paths and risks: the chain is recomputed.
        chain_rebuild(organisation=link.organisation)
    return link


@transaction.atomic
def link_delete(*, link: Link, by: User | None) -> None:
    record(actor=by, organisation=link.organisation, verb="link.deleted", target=link)
    organisation = link.organisation
    link.delete()
    chain_rebuild(organisation=organisation)


@transaction.atomic
def sourcing_set(
    *,
    organisation: Organisation,
    by: User | None,
    facility: Facility,
    annual_volume: Decimal,
    annual_value: Decimal | None = None,
    currency: str = "EUR",
    share_of_output: Decimal | None = None,
) -> Sourcing:
    """Record or update what the buyer buys directly from a supplier."""
    require_chain(organisation)
    sourcing = Sourcing.objects.filter(organisation=organisation, facility=facility).first()
    created = sourcing is None
    sourcing = sourcing or Sourcing(organisation=organisation, facility=facility)
    values = {
        "annual_volume": annual_volume,
        "annual_value": annual_value,
        "currency": currency.upper(),
        "share_of_output": share_of_output,
    }
    changes = {k: [getattr(sourcing, k), v] for k, v in values.items() if getattr(sourcing, k) != v}
    for field, value in values.items():
        setattr(sourcing, field, value)
    sourcing.full_clean()
    sourcing.save()
    record(
        actor=by,
        organisation=organisation,
        verb="sourcing.created" if created else "sourcing.updated",
        target=sourcing,
        changes=changes,
    )
    if created:
        chain_rebuild(organisation=organisation)
    elif "annual_volume" in changes:
        summary.refresh(organisation=organisation)
    return sourcing


@transaction.atomic
def sourcing_delete(*, sourcing: Sourcing, by: User | None) -> None:
    record(actor=by, organisation=sourcing.organisation, verb="sourcing.deleted", target=sourcing)
    organisation = sourcing.organisation
    sourcing.delete()
    chain_rebuild(organisation=organisation)
