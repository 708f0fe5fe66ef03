"""The kept figures of a buyer's chain (ChainSummary): what it buys directly, how much of that is
traced to a known quarry, and how many facilities each tier holds. Counted by the same queries a
page would run, once when the chain is rebuilt or a purchase changes, and read by the dashboard
and the home page, which then never count a chain of 100,000 facilities per request."""

from dataclasses import dataclass

from django.db.models import Count

from stonebridge.accounts.models import Organisation

from . import queries
from .models import ChainPosition, ChainSummary


@dataclass(frozen=True)
class Kept:
    bought: queries.Bought
    # Facilities in each tier, by tier, in tier order.
    tiers: dict[int, int]


def count(organisation: Organisation) -> Kept:
    """The figures counted afresh from the purchases and the chain positions."""
    tiers = (
        ChainPosition.objects.filter(organisation=organisation)
        .values("tier")
        .annotate(n=Count("pk"))
        .order_by("tier")
    )
    return Kept(queries.bought(organisation), {row["tier"]: row["n"] for row in tiers})


def refresh(*, organisation: Organisation) -> Kept:
    """Count the buyer's figures again and keep them; called by every service that changes its
    purchases or rebuilds its chain, in the same transaction."""
    counted = count(organisation)
    ChainSummary.objects.update_or_create(
        organisation=organisation,
        defaults={
            **counted.bought,
            "tiers": {str(tier): n for tier, n in counted.tiers.items()},
        },
    )
    return counted


def kept(organisation: Organisation) -> Kept:
    """The kept figures; counted afresh for a buyer whose chain has not been rebuilt since the
    figures began to be kept (it has no summary yet)."""
    found = ChainSummary.objects.filter(organisation=organisation).first()
    if found is None:
        return count(organisation)
    return Kept(
        {
            "volume": found.volume,
            "traced_volume": found.traced_volume,
            "suppliers": found.suppliers,
            "traced_suppliers": found.traced_suppliers,
        },
        {int(tier): n for tier, n in sorted(found.tiers.items(), key=lambda kv: int(kv[0]))},
    )
