"""Pure computations over a buyer's chain: tiers, tracing to a known quarry, cycles.

Edges point the way goods flow, from supplier to customer. A buyer's direct suppliers are tier 1;
a facility's tier is one more than the lowest tier of a customer it supplies.
"""

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

ONE = Decimal(1)
ZERO = Decimal(0)
# Links that carry material, and so its origin; a sub-contractor returns the customer's own stone.
MATERIAL_KINDS = frozenset({"supplies_blocks", "trades"})


class Edge(NamedTuple):
    """A tuple, not a dataclass: a large chain loads hundreds of thousands of them."""

    supplier: int | None  # None: a known gap (unknown quarry, undisclosed sub-contractor)
    customer: int
    kind: str
    share: Decimal | None = None
    origin_country: str = ""
    volume: Decimal | None = None


def upstream_map(edges: Iterable[Edge]) -> dict[int, list[Edge]]:
    inbound: dict[int, list[Edge]] = defaultdict(list)
    for edge in edges:
        inbound[edge.customer].append(edge)
    return inbound


def tiers(direct: Iterable[int], edges: Iterable[Edge]) -> dict[int, int]:
    """Breadth-first up the chain from the direct suppliers: each facility's lowest tier."""
    inbound = upstream_map(edges)
    tier_of: dict[int, int] = {}
    queue: deque[int] = deque()
    for facility in direct:
        if facility not in tier_of:
            tier_of[facility] = 1
            queue.append(facility)
    while queue:
        customer = queue.popleft()
        for edge in inbound.get(customer, ()):
            if edge.supplier is not None and edge.supplier not in tier_of:
                tier_of[edge.supplier] = tier_of[customer] + 1
                queue.append(edge.supplier)
    return tier_of


def creates_cycle(edges: Iterable[Edge], supplier: int, customer: int) -> bool:
    """Would a new link supplier → customer close a loop? True if the supplier is already
    downstream of the customer (or is the customer)."""
    if supplier == customer:
        return True
    inbound = upstream_map(edges)
    seen = {supplier}
    stack = [supplier]
    while stack:
        for edge in inbound.get(stack.pop(), ()):
            if edge.supplier == customer:
                return True
            if edge.supplier is not None and edge.supplier not in seen:
                seen.add(edge.supplier)
                stack.append(edge.supplier)
    return False


def _weights(edges: list[Edge]) -> list[Decimal]:
    """Each input's weight: its stated share, the rest split equally among inputs without one."""
    stated = sum((e.share for e in edges if e.share is not None), ZERO)
    unstated = [e for e in edges if e.share is None]
    rest = max(ZERO, ONE - stated) / len(unstated) if unstated else ZERO
    return [e.share if e.share is not None else rest for e in edges]


def traced_shares(
    facilities: Iterable[int], edges: Iterable[Edge], quarries: set[int]
) -> dict[int, Decimal]:
    """For each facility, the share of its material traced to a known quarry (0 to 1).

    A quarry is fully traced; a facility with no known material inputs is not traced at all; a gap
    (blocks of unknown quarry) counts as untraced. The chain is acyclic (links closing a loop are
    refused), so a post-order walk visits each facility once.
    """
    inbound = {
        customer: [e for e in inputs if e.kind in MATERIAL_KINDS]
        for customer, inputs in upstream_map(edges).items()
    }
    result: dict[int, Decimal] = {}
    for start in facilities:
        stack: list[tuple[int, bool]] = [(start, False)]
        while stack:
            node, expanded = stack.pop()
            if node in result:
                continue
            inputs = inbound.get(node, [])
            if node in quarries or not inputs:
                result[node] = ONE if node in quarries else ZERO
                continue
            pending = [
                e.supplier for e in inputs if e.supplier is not None and e.supplier not in result
            ]
            if pending and not expanded:
                stack.append((node, True))
                stack.extend((s, False) for s in pending)
                continue
            total = sum(
                (
                    w * result.get(e.supplier, ZERO)
                    for e, w in zip(inputs, _weights(inputs), strict=True)
                    if e.supplier is not None
                ),
                ZERO,
            )
            result[node] = min(ONE, total).quantize(Decimal("0.001"))
    return result


@dataclass(frozen=True)
class Transparency:
    traced_volume_share: Decimal  # of the buyer's sourced volume, traced to a known quarry
    undisclosed_subcontracting: int  # sub-contracting steps whose sub-contractor is unknown
    unknown_origin_facilities: int  # facilities whose material is not fully traced
    facilities: int  # in the chain


def transparency(
    volumes: Mapping[int, Decimal],
    edges: list[Edge],
    traced: Mapping[int, Decimal],
    kinds: Mapping[int, str],
) -> Transparency:
    total = sum(volumes.values(), ZERO)
    traced_volume = sum((v * traced.get(f, ZERO) for f, v in volumes.items()), ZERO)
    in_chain = set(traced)
    return Transparency(
        traced_volume_share=(traced_volume / total).quantize(Decimal("0.001")) if total else ZERO,
        undisclosed_subcontracting=sum(
            1
            for e in edges
            if e.supplier is None and e.kind == "subcontracts" and e.customer in in_chain
        ),
        # Workshops and quarries are left out: a workshop works the customer's stone, a quarry is
        # the origin itself.
        unknown_origin_facilities=sum(
            1
            for f, share in traced.items()
            if share < ONE and kinds.get(f) not in ("quarry", "workshop")
        ),
        facilities=len(in_chain),
    )


def find_cycle(edges: Iterable[Edge]) -> list[int] | None:
    """One loop in the links: its facilities in the order goods flow, the first repeated at the
    end ([a, b, a]); None if there is no loop. A depth-first walk, without recursion so a long
    chain cannot exhaust the stack."""
    downstream: dict[int, list[int]] = defaultdict(list)
    for edge in edges:
        if edge.supplier is not None:
            downstream[edge.supplier].append(edge.customer)
    done: set[int] = set()
    for start in list(downstream):
        if start in done:
            continue
        path = [start]
        on_path = {start}
        pending = [iter(downstream[start])]
        while pending:
            following = next(pending[-1], None)
            if following is None:
                pending.pop()
                done.add(path[-1])
                on_path.discard(path.pop())
            elif following in on_path:
                return [*path[path.index(following) :], following]
            elif following not in done:
                path.append(following)
                on_path.add(following)
                pending.append(iter(downstream.get(following, ())))
    return None


def _split(known: list[tuple[int | None, float | None, float]]) -> list[tuple[int | None, float]]:
    """(supplier, stated share, volume) → (supplier, weight)."""
    rest = max(0.0, 1.0 - sum(stated for _s, stated, _v in known if stated is not None))
    volumes = [volume for _s, stated, volume in known if stated is None]
    total = sum(volumes)
    by_volume = all(volumes) and total > 0
    out = []
    for supplier, stated, volume in known:
        if stated is not None:
            out.append((supplier, stated))
        elif by_volume:
            out.append((supplier, rest * volume / total))
        else:
            out.append((supplier, rest / len(volumes)))
    return out


class Path(NamedTuple):
    via: int  # the direct supplier the facility reaches the buyer through
    share: float  # the share of that supplier's input carried along the path
    parent: int | None  # the next facility towards the buyer; None for a direct supplier


def heaviest_paths(
    direct: Iterable[int], edges: Iterable[Edge | tuple[Any, ...]]
) -> dict[int, Path]:
    """For each facility reached from the direct suppliers, the path to the buyer that carries
    the largest share of a direct supplier's input: the product of the link weights (stated
    shares, the rest split equally, as in tracing). The chain is acyclic, so each facility is
    settled once all the customers it supplies within the chain are settled."""
    # Suppliers of each customer with their weights, in floats: many products, no money here.
    # Inputs without a stated share split the rest by their annual volume when each has one,
    # equally otherwise.
    raw: dict[int, list[tuple[int | None, float | None, float]]] = defaultdict(list)
    for supplier, customer, _kind, stated, _origin, *volume in edges:
        amount = float(volume[0]) if volume and volume[0] else 0.0
        raw[customer].append((supplier, None if stated is None else float(stated), amount))
    inputs = {customer: _split(known) for customer, known in raw.items()}
    share = dict.fromkeys(direct, 1.0)
    via = {d: d for d in share}
    parent: dict[int, int | None] = dict.fromkeys(share)
    # The reachable part, and for each facility how many customers in it it still waits for.
    waiting: dict[int, int] = defaultdict(int)
    stack = list(share)
    seen = set(stack)
    while stack:
        for supplier, _w in inputs.get(stack.pop(), ()):
            if supplier is not None:
                waiting[supplier] += 1
                if supplier not in seen:
                    seen.add(supplier)
                    stack.append(supplier)
    ready = deque(f for f in seen if not waiting[f])
    while ready:
        customer = ready.popleft()
        here = share[customer]
        for supplier, weight in inputs.get(customer, ()):
            if supplier is None:
                continue
            carried = here * weight
            if supplier not in share or (
                parent[supplier] is not None and carried > share[supplier]
            ):
                share[supplier], via[supplier], parent[supplier] = carried, via[customer], customer
            waiting[supplier] -= 1
            if not waiting[supplier]:
                ready.append(supplier)
    return {f: Path(via[f], share[f], parent[f]) for f in share}


def path_to_buyer(paths: dict[int, Path], facility: int) -> list[int]:
    """The facilities from this one down to its direct supplier."""
    out = [facility]
    while (step := paths[out[-1]].parent) is not None:
        out.append(step)
    return out


def path_strings(paths: dict[int, Path]) -> dict[int, str]:
    """Every facility's path as comma-separated ids, each built from its parent's."""
    out: dict[int, str] = {}
    for start in paths:
        pending = []
        node: int | None = start
        while node is not None and node not in out:
            pending.append(node)
            node = paths[node].parent
        for facility in reversed(pending):
            parent = paths[facility].parent
            out[facility] = f"{facility},{out[parent]}" if parent is not None else str(facility)
    return out
