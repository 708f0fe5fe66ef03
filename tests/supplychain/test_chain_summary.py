"""The chain's kept figures (ChainSummary) follow every change of the purchases and the links,
and say what counting the chain afresh says."""

from decimal import Decimal

import pytest

from stonebridge.supplychain import queries, summary
from stonebridge.supplychain import services as supplychain
from stonebridge.supplychain.models import ChainSummary, Link

pytestmark = pytest.mark.django_db


def test_the_kept_figures_are_those_counted_afresh(chain, buyer):
    kept = summary.kept(buyer)

    assert ChainSummary.objects.filter(organisation=buyer).exists()
    assert kept == summary.count(buyer)
    assert kept.bought["suppliers"] == 1
    assert kept.bought["volume"] == Decimal(1000)
    assert kept.bought["traced_volume"] == Decimal(600)
    assert kept.tiers == {1: 1, 2: 2, 3: 1}


def test_a_new_purchase_changes_the_kept_figures(chain, buyer, owner):
    extra = supplychain.facility_create(
        organisation=buyer, by=owner, kind="exporter", name_zh="泉州新兴石材贸易有限公司"
    )

    supplychain.sourcing_set(
        organisation=buyer, by=owner, facility=extra, annual_volume=Decimal(500)
    )

    kept = summary.kept(buyer)
    assert kept.bought["suppliers"] == 2
    assert kept.bought["volume"] == Decimal(1500)
    assert kept.tiers[1] == 2
    assert kept == summary.count(buyer)


def test_a_changed_volume_changes_the_kept_figures(chain, buyer, owner):
    supplychain.sourcing_set(
        organisation=buyer, by=owner, facility=chain["exporter"], annual_volume=Decimal(2000)
    )

    kept = summary.kept(buyer)
    assert kept.bought["volume"] == Decimal(2000)
    assert kept.bought["traced_volume"] == Decimal(1200)
    assert kept == summary.count(buyer)


def test_a_removed_link_changes_the_kept_tiers(chain, buyer, owner):
    link = Link.objects.get(organisation=buyer, supplier=chain["quarry"])

    supplychain.link_delete(link=link, by=owner)

    kept = summary.kept(buyer)
    assert kept.tiers == {1: 1, 2: 2}
    assert kept.bought["traced_volume"] == Decimal(0)
    assert kept == summary.count(buyer)


def test_a_removed_purchase_empties_the_kept_figures(chain, buyer, owner):
    supplychain.sourcing_delete(sourcing=buyer.sourcing.get(facility=chain["exporter"]), by=owner)

    kept = summary.kept(buyer)
    assert kept.bought["suppliers"] == 0
    assert kept.tiers == {}


def test_a_chain_never_summarised_is_counted_afresh(chain, buyer):
    ChainSummary.objects.filter(organisation=buyer).delete()

    assert summary.kept(buyer) == summary.count(buyer)
    assert summary.kept(buyer).bought == queries.bought(buyer)
