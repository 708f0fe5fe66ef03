"""A supplier's own upstream (sub-contractors, workshops, quarries), disclosed to the buyers it
works with, and taken by a buyer into its own chain."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stonebridge.accounts.models import Organisation, User
from stonebridge.audit.services import record

from . import chain, services
from .models import Facility, Link, UpstreamDisclosure, UpstreamShare


def _share_with(disclosure: UpstreamDisclosure, buyer: Organisation, by: User | None) -> None:
    _share, created = UpstreamShare.objects.get_or_create(disclosure=disclosure, buyer=buyer)
    if created:
        record(
            actor=by,
            organisation=buyer,
            verb="upstream.shared",
            target=disclosure,
            changes={"kind": disclosure.kind, "supplier": str(disclosure.supplier)},
        )


@transaction.atomic
def upstream_disclose(
    *,
    organisation: Organisation,
    by: User | None,
    site: Facility,
    customer: Facility,
    supplier: Facility,
    kind: str,
    buyers: list[Organisation],
    product: str = "",
    stone_type: str = "",
    share: Decimal | None = None,
) -> UpstreamDisclosure:
    """A supplier maps who works for its own site: sub-contractors, workshops, quarries, and
    theirs. The app that knows the supplier's relationships (engagement) checks that `site` is
    the organisation's own and passes the buyers it accepted there, who receive it labelled as
    disclosed; none of it enters a buyer's chain until that buyer accepts it."""
    mapped = UpstreamDisclosure.objects.filter(organisation=organisation, site=site)
    if customer.pk != site.pk and not mapped.filter(supplier=customer).exists():
        raise ValidationError(
            {
                "customer": _(
                    "Start from your own site: the customer is your site or a supplier you "
                    "have already disclosed."
                )
            }
        )
    edges = [chain.Edge(s, c, k) for s, c, k in mapped.values_list("supplier", "customer", "kind")]
    services.refuse_loop(edges, supplier, customer)
    disclosure = UpstreamDisclosure(
        organisation=organisation,
        site=site,
        kind=kind,
        supplier=supplier,
        customer=customer,
        product=product,
        stone_type=stone_type,
        share=share,
        created_by=by,
    )
    disclosure.full_clean()
    disclosure.save()
    record(
        actor=by,
        organisation=organisation,
        verb="upstream.disclosed",
        target=disclosure,
        changes={"kind": kind, "supplier": str(supplier), "customer": str(customer)},
    )
    for buyer in buyers:
        _share_with(disclosure, buyer, by)
    return disclosure


@transaction.atomic
def upstream_share_site(
    *, organisation: Organisation, site: Facility, buyer: Organisation, by: User | None
) -> int:
    """A buyer the supplier has just accepted at a site receives its map of that site."""
    disclosures = UpstreamDisclosure.objects.filter(organisation=organisation, site=site)
    for disclosure in disclosures.select_related("supplier"):
        _share_with(disclosure, buyer, by)
    return disclosures.count()


@transaction.atomic
def upstream_accept(*, share: UpstreamShare, by: User | None) -> Link:
    """The buyer takes a disclosed link into its own chain (or keeps the one it had)."""
    share = UpstreamShare.objects.select_for_update().select_related("disclosure").get(pk=share.pk)
    buyer = Organisation.objects.get(pk=share.buyer_id)
    services.require_chain(buyer)
    if share.accepted_at is not None:
        raise ValidationError(_("You have already taken this into your chain."))
    disclosure = share.disclosure
    link = Link.objects.filter(
        organisation=buyer,
        supplier=disclosure.supplier,
        customer=disclosure.customer,
        kind=disclosure.kind,
    ).first() or services.link_create(
        organisation=buyer,
        by=by,
        customer=disclosure.customer,
        supplier=disclosure.supplier,
        kind=disclosure.kind,
        product=disclosure.product,
        stone_type=disclosure.stone_type,
        share=disclosure.share,
    )
    share.link = link
    share.accepted_at = timezone.now()
    share.accepted_by = by
    share.save(update_fields=["link", "accepted_at", "accepted_by"])
    record(
        actor=by,
        organisation=buyer,
        verb="upstream.accepted",
        target=link,
        changes={"disclosure": disclosure.pk},
    )
    return link
