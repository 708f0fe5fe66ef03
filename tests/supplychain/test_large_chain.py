"""A chain too large to draw node by node: the overview sends groups, pages and places, and a
person opens one direct supplier's own chain."""

import json
import re
from decimal import Decimal

import pytest
from django.db.models import Q
from django.test import Client
from django.urls import reverse

from stonebridge.accounts.services import api_token_create
from stonebridge.supplychain import services
from stonebridge.supplychain.models import Facility, Link, Sourcing

from ..conftest import client_for

SUPPLIERS = 4
PROCESSORS = 40  # a direct supplier's processors
QUARRIES = 60  # and quarries


@pytest.fixture
def large_chain(buyer, owner):
    """Four exporters, each with its own 40 processors and 60 quarries: 404 facilities, more
    than the overview draws one by one, and one undisclosed sub-contracting step."""
    exporters = Facility.objects.bulk_create(
        [
            Facility(kind="exporter", name_zh=f"出口商{i}", province="福建省", city="厦门市",
                     latitude=Decimal("24.48"), longitude=Decimal("118.09"))
            for i in range(SUPPLIERS)
        ]
    )  # fmt: skip
    links = []
    for e, exporter in enumerate(exporters):
        processors = Facility.objects.bulk_create(
            [
                Facility(kind="processor", name_zh=f"加工厂{e}-{i}", province="福建省",
                         city="泉州市", latitude=Decimal("24.72"), longitude=Decimal("118.43"))
                for i in range(PROCESSORS)
            ]
        )  # fmt: skip
        quarries = Facility.objects.bulk_create(
            [
                Facility(kind="quarry", name_zh=f"矿山{e}-{i}", province="山东省", city="日照市",
                         latitude=Decimal("35.75"), longitude=Decimal("119.21"))
                for i in range(QUARRIES)
            ]
        )  # fmt: skip
        links += [
            Link(organisation=buyer, kind="trades", supplier=p, customer=exporter, volume=10)
            for p in processors
        ]
        links += [
            Link(
                organisation=buyer,
                kind="supplies_blocks",
                supplier=q,
                customer=processors[i % PROCESSORS],
            )
            for i, q in enumerate(quarries)
        ]
    links.append(Link(organisation=buyer, kind="subcontracts", customer=exporters[0]))
    Link.objects.bulk_create(links)
    Sourcing.objects.bulk_create(
        [Sourcing(organisation=buyer, facility=e, annual_volume=500) for e in exporters]
    )
    services.chain_rebuild(organisation=buyer)
    return exporters


def overview(client, buyer, **params):
    response = client.get(reverse("supplychain:overview", args=[buyer.slug]), params)
    assert response.status_code == 200
    return response.content.decode()


def graph_data(body):
    found = re.search(r'<script[^>]*id="graph-data"[^>]*>(.*?)</script>', body, re.S)
    return json.loads(found.group(1))


def test_a_large_chain_is_drawn_as_counts_per_tier_in_a_bounded_page(
    large_chain, owner, buyer, django_assert_max_num_queries
):
    client = client_for(owner)
    with django_assert_max_num_queries(20):
        body = overview(client, buyer)
    assert len(body) < 60_000  # every node of 404 facilities would not fit
    graph = graph_data(body)
    assert graph["collapsed"] is True
    groups = {n["id"]: n["count"] for n in graph["nodes"] if "count" in n and n["kind"] != "gap"}
    assert groups == {"t1-exporter": 4, "t2-processor": 160, "t3-quarry": 240}
    arrows = {(e["source"], e["target"]): e for e in graph["edges"]}
    assert arrows[("t2-processor", "t1-exporter")]["count"] == 160
    assert arrows[("t2-processor", "t1-exporter")]["volume"] == 1600
    assert arrows[("t1-exporter", "buyer")]["volume"] == 2000
    assert arrows[("cCN", "t3-quarry")]["count"] == 240
    assert "Your chain has 404 facilities" in body
    # The table beside the graph: the groups' numbers, and the links a page at a time.
    assert "Groups of your chain" in body
    assert body.count("<tr>") < 120
    assert "Page 1 of 9" in body  # 401 links, 50 a page
    # The map: one point for each place, with its facilities counted.
    places = json.loads(re.search(r'id="places-data"[^>]*>(.*?)</script>', body, re.S).group(1))
    assert sorted(p["facilities"] for p in places) == [4, 160, 240]


def test_the_next_page_of_links_is_one_link_away(large_chain, owner, buyer):
    body = overview(client_for(owner), buyer, links=9)
    assert "Page 9 of 9" in body
    assert "links=8" in body


def test_a_small_chain_is_still_drawn_node_by_node(chain, owner, buyer):
    graph = graph_data(overview(client_for(owner), buyer))
    assert "collapsed" not in graph
    assert len([n for n in graph["nodes"] if n["id"].startswith("f")]) == 4


def api_for(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='t')[1]}")


def test_one_direct_suppliers_chain_opens_alone_page_by_page(large_chain, owner, buyer):
    url = f"/api/organisations/{buyer.slug}/chain"
    exporter = large_chain[1]
    body = api_for(owner).get(url, {"root": exporter.pk, "page_size": 50}).json()
    facilities = {n["facility"] for n in body["nodes"] if "facility" in n}
    theirs = set(
        Facility.objects.filter(
            Q(name_zh__startswith="加工厂1-") | Q(name_zh__startswith="矿山1-")
        ).values_list("pk", flat=True)
    ) | {exporter.pk}
    assert body["links"] == PROCESSORS + QUARRIES
    assert (body["page"], body["pages"]) == (1, 2)
    # Nearest first: the exporter's processors, then the first of their quarries.
    assert len([e for e in body["edges"] if e["kind"] != "origin"]) == 50
    assert facilities <= theirs
    second = api_for(owner).get(url, {"root": exporter.pk, "page_size": 50, "page": 2}).json()
    quarries = {n["facility"] for n in second["nodes"] if n["kind"] == "quarry"}
    assert len(quarries) == 50
    assert quarries <= theirs


def test_the_whole_chain_through_the_api_is_counts_when_large(large_chain, owner, buyer):
    body = api_for(owner).get(f"/api/organisations/{buyer.slug}/chain").json()
    assert body["collapsed"] is True
    assert body["transparency"]["facilities"] == 404
    assert len(body["nodes"]) < 20


def test_another_buyer_cannot_open_a_suppliers_chain(large_chain, buyer, other_buyer):
    url = f"/api/organisations/{buyer.slug}/chain"
    assert api_for(other_buyer).get(url, {"root": large_chain[0].pk}).status_code == 404


def test_a_facility_outside_the_chain_is_not_found(large_chain, owner, buyer, other_buyer):
    stranger = Facility.objects.create(kind="quarry", name_zh="别家矿山")
    url = f"/api/organisations/{buyer.slug}/chain"
    assert api_for(owner).get(url, {"root": stranger.pk}).status_code == 404


def test_the_counts_follow_a_change_to_the_chain(large_chain, owner, buyer):
    client = client_for(owner)
    graph_data(overview(client, buyer))
    first = Facility.objects.get(name_zh="加工厂0-0")
    services.link_delete(link=Link.objects.get(supplier=first), by=owner)
    graph = graph_data(overview(client, buyer))
    groups = {n["id"]: n["count"] for n in graph["nodes"] if n["kind"] in ("processor", "quarry")}
    # The processor and the two quarries that supplied only it left the chain.
    assert groups == {"t2-processor": 159, "t3-quarry": 238}


def test_the_counts_follow_a_changed_volume(large_chain, owner, buyer):
    client = client_for(owner)
    graph_data(overview(client, buyer))
    sourcing = Sourcing.objects.get(organisation=buyer, facility=large_chain[0])
    services.sourcing_set(
        organisation=buyer, by=owner, facility=large_chain[0], annual_volume=Decimal("1500")
    )
    sourcing.refresh_from_db()
    assert sourcing.annual_volume == 1500
    graph = graph_data(overview(client, buyer))
    arrows = {(e["source"], e["target"]): e for e in graph["edges"]}
    assert arrows[("t1-exporter", "buyer")]["volume"] == 3000
