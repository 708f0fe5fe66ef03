"""The map as a buyer sees it: tiers, tracing, gaps, privacy, loops, search."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from stonebridge.audit.models import Entry
from stonebridge.supplychain import queries, services
from stonebridge.supplychain.models import ChainPosition, Facility, Link


def tier_of(buyer, facility):
    return ChainPosition.objects.get(organisation=buyer, facility=facility).tier


def test_tiers_run_from_the_direct_supplier_to_the_quarry(chain, buyer):
    assert [tier_of(buyer, chain[k]) for k in ("exporter", "processor", "workshop", "quarry")] == [
        1,
        2,
        2,
        3,
    ]


def test_transparency_shows_what_is_traced_and_where_the_buyer_is_blind(chain, buyer):
    figures = queries.transparency(buyer)
    # The exporter's material comes from the processor, 60 % of whose blocks are traced.
    assert figures.traced_volume_share == Decimal("0.6")
    assert figures.undisclosed_subcontracting == 1
    assert figures.unknown_origin_facilities == 2  # exporter and processor
    assert figures.facilities == 4


def test_the_graph_names_the_gap_and_its_country(chain, buyer):
    graph = queries.graph(buyer)
    gaps = [n for n in graph["nodes"] if n["kind"] == "gap"]
    assert {g["country"] for g in gaps} == {"IN", ""}
    assert {"id": "cIN", "name": "IN", "kind": "country", "tier": 4} in graph["nodes"]
    assert any(e["source"] == "cIN" for e in graph["edges"])
    assert any(e["volume"] == 900.0 for e in graph["edges"])


def test_the_graph_reads_as_a_table_of_who_supplies_whom(chain, buyer):
    rows = {
        (row["supplier"], row["customer"], str(row["kind"]), row["volume"])
        for row in queries.graph_rows(queries.graph(buyer))
    }
    exporter, processor = str(chain["exporter"]), str(chain["processor"])
    assert (exporter, "You", "Sells to you", 1000.0) in rows
    assert (processor, exporter, "Trades", 900.0) in rows
    assert ("unknown (IN)", processor, "Supplies blocks", None) in rows
    assert ("IN", "unknown (IN)", "Country of origin", None) in rows
    assert ("unknown", processor, "Sub-contracted processing", None) in rows


def test_a_loop_is_refused_and_changes_nothing(chain, buyer, owner):
    before = (Link.objects.count(), Entry.objects.count())
    with pytest.raises(ValidationError) as error:
        services.link_create(
            organisation=buyer,
            by=owner,
            supplier=chain["exporter"],
            customer=chain["quarry"],
            kind="trades",
        )
    assert "loop" in error.value.message_dict["supplier"][0]
    assert (Link.objects.count(), Entry.objects.count()) == before


def test_links_stay_private_while_the_facility_is_shared(
    chain, buyer, other_buyer_org, other_buyer
):
    assert queries.transparency(other_buyer_org).facilities == 0
    services.sourcing_set(
        organisation=other_buyer_org,
        by=other_buyer,
        facility=chain["exporter"],
        annual_volume=Decimal(10),
    )
    assert tier_of(other_buyer_org, chain["exporter"]) == 1
    assert not ChainPosition.objects.filter(
        organisation=other_buyer_org, facility=chain["quarry"]
    ).exists()


def test_removing_a_link_recomputes_the_tiers(chain, buyer, owner):
    link = Link.objects.get(organisation=buyer, supplier=chain["quarry"])
    services.link_delete(link=link, by=owner)
    assert not ChainPosition.objects.filter(organisation=buyer, facility=chain["quarry"]).exists()


def test_a_wrong_credit_code_is_a_field_error(buyer, owner):
    with pytest.raises(ValidationError) as error:
        services.facility_create(
            organisation=buyer,
            by=owner,
            kind="quarry",
            name_zh="某石场",
            credit_code="91350583MA2XXXXX1X",
        )
    assert "credit_code" in error.value.message_dict
    assert not Facility.objects.exists()


@pytest.mark.parametrize(
    "query",
    ["水头鑫源", "shuitou xinyuan", "Shuǐtóu Xīnyuán", "shuitouxinyuan", "Xinyuan Stone"],
)
def test_search_finds_a_facility_by_hanzi_pinyin_or_english(chain, query):
    found = queries.search(Facility.objects.all(), query)
    assert list(found) == [chain["processor"]]
