"""The pure chain computations: tiers, tracing to a known quarry, loops."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stonebridge.supplychain.chain import (
    Edge,
    creates_cycle,
    heaviest_paths,
    path_strings,
    path_to_buyer,
    tiers,
    traced_shares,
    transparency,
)

D = Decimal


def blocks(supplier, customer, share=None):
    return Edge(supplier=supplier, customer=customer, kind="supplies_blocks", share=share)


def test_tiers_count_from_the_direct_supplier_up_to_the_quarry():
    edges = [blocks(2, 1), blocks(3, 2), Edge(4, 2, "subcontracts")]
    assert tiers([1], edges) == {1: 1, 2: 2, 3: 3, 4: 3}


def test_a_facility_reached_twice_takes_its_lowest_tier():
    edges = [blocks(2, 1), blocks(3, 2), blocks(3, 1)]
    assert tiers([1], edges)[3] == 2


def test_a_link_back_down_the_chain_is_a_loop():
    edges = [blocks(2, 1), blocks(3, 2)]
    assert creates_cycle(edges, supplier=1, customer=3)
    assert creates_cycle(edges, supplier=5, customer=5)
    assert not creates_cycle(edges, supplier=4, customer=3)


def test_tracing_follows_stated_shares_and_splits_the_rest():
    # Processor 1 gets 60 % from quarry 2 and the rest equally from a trader (traced via quarry 4)
    # and from blocks of unknown quarry (a gap).
    edges = [blocks(2, 1, D("0.6")), blocks(3, 1), blocks(None, 1), blocks(4, 3)]
    traced = traced_shares([1, 2, 3, 4], edges, quarries={2, 4})
    assert traced[1] == D("0.8")
    assert traced[3] == 1


def test_a_workshop_does_not_bring_stone_of_its_own():
    edges = [Edge(5, 1, "subcontracts"), blocks(2, 1)]
    assert traced_shares([1], edges, quarries={2})[1] == 1


def test_transparency_weighs_tracing_by_volume():
    traced = {1: D("1"), 2: D("0"), 3: D("0.5")}
    result = transparency(
        volumes={1: D(300), 2: D(100)},
        edges=[Edge(None, 2, "subcontracts"), Edge(None, 3, "supplies_blocks")],
        traced=traced,
        kinds={1: "exporter", 2: "processor", 3: "processor"},
    )
    assert result.traced_volume_share == D("0.75")
    assert result.undisclosed_subcontracting == 1
    assert result.unknown_origin_facilities == 2


# A random acyclic chain: each facility may only be supplied by higher-numbered ones.
chains = st.lists(
    st.tuples(
        st.integers(1, 30),
        st.integers(1, 30),
        st.sampled_from(["supplies_blocks", "trades", "subcontracts"]),
    ),
    max_size=80,
).map(lambda pairs: [Edge(max(a, b), min(a, b), k) for a, b, k in pairs if a != b])


@given(chains, st.sets(st.integers(1, 30)))
def test_traced_shares_stay_between_zero_and_one(edges, quarries):
    traced = traced_shares(range(1, 31), edges, quarries)
    assert all(D(0) <= share <= 1 for share in traced.values())


@given(chains)
def test_no_link_of_an_acyclic_chain_is_taken_for_a_loop(edges):
    for index, edge in enumerate(edges):
        others = edges[:index] + edges[index + 1 :]
        assert not creates_cycle(others, edge.supplier, edge.customer)
        assert creates_cycle([*others, edge], edge.customer, edge.supplier)


@given(chains)
def test_every_supplier_sits_one_tier_above_some_customer_at_most(edges):
    tier_of = tiers([1], edges)
    for edge in edges:
        if edge.customer in tier_of:
            assert tier_of[edge.supplier] <= tier_of[edge.customer] + 1


def _all_paths(edges, direct, facility):
    """Every path from the facility down to a direct supplier, with its carried share (by
    brute force, for checking)."""
    weights = {}
    for customer in {e.customer for e in edges}:
        inputs = [e for e in edges if e.customer == customer]
        stated = sum(float(e.share) for e in inputs if e.share is not None)
        unstated = [e for e in inputs if e.share is None]
        rest = max(0.0, 1 - stated) / len(unstated) if unstated else 0.0
        for e in inputs:
            weights[(e.supplier, e.customer)] = rest if e.share is None else float(e.share)
    found = []

    def walk(node, share, trail):
        if node in direct:
            found.append((share, trail))
        for e in edges:
            if e.supplier == node:
                walk(e.customer, share * weights[(node, e.customer)], [*trail, e.customer])

    walk(facility, 1.0, [facility])
    return found


def test_the_heaviest_path_follows_the_larger_share():
    edges = [
        blocks(2, 1, Decimal("0.2")),
        blocks(3, 1, Decimal("0.8")),
        blocks(4, 2),
        blocks(4, 3, Decimal("0.5")),
    ]
    paths = heaviest_paths([1], edges)
    assert path_to_buyer(paths, 4) == [4, 3, 1]
    assert paths[4].share == 0.4
    assert path_strings(paths)[4] == "4,3,1"


def test_inputs_without_a_share_split_the_rest_by_volume():
    edges = [
        Edge(2, 1, "trades", volume=Decimal(900)),
        Edge(3, 1, "trades", volume=Decimal(100)),
    ]
    paths = heaviest_paths([1], edges)
    assert paths[2].share == pytest.approx(0.9)
    assert paths[3].share == pytest.approx(0.1)


@given(chains, st.sets(st.integers(1, 30), min_size=1, max_size=4))
def test_the_heaviest_path_is_the_heaviest_of_all_paths(edges, direct):
    edges = list({(e.supplier, e.customer): e for e in edges}.values())
    paths = heaviest_paths(direct, edges)
    assert set(paths) == set(tiers(direct, edges))
    for facility, path in paths.items():
        if facility in direct:
            assert path.share == 1.0
            continue
        options = _all_paths(edges, direct, facility)
        assert path.share == pytest.approx(max(share for share, _trail in options))
        trail = path_to_buyer(paths, facility)
        assert trail[-1] == path.via in direct
