"""The chain overview's drawing at any size: the whole graph for a small chain, counts per tier
and kind for a large one (aggregated by the database, never read row by row), one facility's
own upstream chain page by page, and the map's points grouped by place.

A page that embedded every node of a 100,000-facility chain held a server worker for minutes;
above COLLAPSE_ABOVE facilities the overview draws groups, and a person opens the part they need.
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, overload

from django.core.cache import cache
from django.db import connection
from django.db.models import Avg, Count, F, FilteredRelation, Max, Q, QuerySet, Sum
from django.utils.translation import gettext

from stonebridge.accounts.models import Organisation
from stonebridge.languages import has_chinese, place_pinyin, reader_reads_chinese

from . import queries
from .models import (
    ChainPosition,
    ChainSummary,
    Facility,
    FacilityKind,
    Link,
    LinkKind,
    Sourcing,
)

# StoneBridge default: up to this many facilities a chain is drawn node by node (a few hundred
# stay readable and quick to send); above it, as counts per tier and kind.
COLLAPSE_ABOVE = 300
# StoneBridge default: the links of one facility's upstream chain sent per page.
ROOT_PAGE_SIZE = 200
ROOT_PAGE_MAX = 500
# StoneBridge default: the map draws at most this many places, the largest first.
MAP_PLACES = 1000
# StoneBridge default: a large chain's counts are kept at most this long (10 minutes). A change
# to its links or purchases shows at once (a new `chain_stamp`); a facility's corrected kind or
# place, within this time.
SUMMARY_SECONDS = 600


def is_large(facilities: int) -> bool:
    return facilities > COLLAPSE_ABOVE


def _volume(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _group_id(tier: int, kind: str) -> str:
    return f"t{tier}-{kind}"


def _kind_name(kind: str) -> str:
    return str(FacilityKind(kind).label) if kind in FacilityKind.values else kind


def chain_stamp(organisation: Organisation) -> tuple[int, int, str]:
    """How many facilities the buyer's chain holds, the newest of their positions and its kept
    purchase figures: every change to its links or purchases rebuilds the positions
    (`services.chain_rebuild`), and a changed volume rewrites the kept figures
    (`summary.refresh`), so a new stamp means new counts."""
    found = ChainPosition.objects.filter(organisation=organisation).aggregate(
        facilities=Count("pk"), newest=Max("pk")
    )
    kept = ChainSummary.objects.filter(organisation=organisation).values_list(
        "volume", "traced_volume"
    )
    return found["facilities"], found["newest"] or 0, "-".join(map(str, kept.first() or ()))


def summary(organisation: Organisation, stamp: tuple[int, int, str]) -> dict[str, Any]:
    """A large chain's figures, counted by the database (a few aggregate queries, whatever the
    chain's size) and kept until its chain next changes, in no language (`collapsed` and
    `places` name them for the reader)."""
    key = f"chain-summary:{organisation.pk}:{stamp[0]}:{stamp[1]}:{stamp[2]}"
    found: dict[str, Any] | None = cache.get(key)
    if found is None:
        found = {
            "transparency": queries.transparency(organisation),
            "groups": list(_position_groups(organisation)),
            "bought": list(_bought_groups(organisation)),
            "links": list(_link_groups(organisation)),
            "link_count": chain_links(organisation).count(),
            "places": list(_place_groups(organisation)),
        }
        cache.set(key, found, SUMMARY_SECONDS)
    return found


def _position_groups(organisation: Organisation) -> QuerySet[ChainPosition, dict[str, Any]]:
    return (
        ChainPosition.objects.filter(organisation=organisation)
        .values("tier", kind=F("facility__kind"), country=F("facility__country"))
        .annotate(facilities=Count("pk"))
        .order_by("tier", "kind", "country")
    )


def _bought_groups(organisation: Organisation) -> QuerySet[Sourcing, dict[str, Any]]:
    return (
        Sourcing.objects.filter(organisation=organisation)
        .annotate(
            mine=FilteredRelation(
                "facility__positions", condition=Q(facility__positions__organisation=organisation)
            )
        )
        .values(tier=F("mine__tier"), kind=F("facility__kind"))
        .annotate(links=Count("pk"), volume=Sum("annual_volume"))
        .order_by("tier", "kind")
    )


def collapsed(organisation: Organisation, found: dict[str, Any]) -> dict[str, Any]:
    """The chain as groups of facilities per tier and kind with their counts, and arrows
    between the groups carrying the number of links and their volume, from `summary`."""
    nodes: list[dict[str, Any]] = [
        {"id": "buyer", "name": organisation.name, "kind": "buyer", "tier": 0}
    ]
    countries: dict[str, int] = {}
    origin: dict[tuple[str, str], int] = {}
    groups: dict[str, dict[str, Any]] = {}
    for row in found["groups"]:
        group = groups.setdefault(
            _group_id(row["tier"], row["kind"]),
            {"kind": row["kind"], "tier": row["tier"], "count": 0},
        )
        group["count"] += row["facilities"]
        if row["kind"] == Facility.Kind.QUARRY and row["country"]:
            key = (f"c{row['country']}", _group_id(row["tier"], row["kind"]))
            origin[key] = origin.get(key, 0) + row["facilities"]
    for group_id, group in groups.items():
        name = f"{_kind_name(group['kind'])} · {group['count']}"
        nodes.append({"id": group_id, "name": name, "full_name": name, **group})
    # One arrow for each pair of groups and kind of link, its links counted and volumes added.
    arrows: dict[tuple[str, str, str], dict[str, Any]] = {}

    def arrow(source: str, target: str, kind: str, count: int, volume: Decimal | None) -> None:
        drawn = arrows.setdefault(
            (source, target, kind),
            {"source": source, "target": target, "kind": kind, "count": 0, "volume": None},
        )
        drawn["count"] += count
        if volume is not None:
            drawn["volume"] = (drawn["volume"] or 0) + volume

    for row in found["bought"]:
        arrow(
            _group_id(row["tier"] or 1, row["kind"]),
            "buyer",
            "sourcing",
            row["links"],
            row["volume"],
        )
    gaps: dict[str, dict[str, Any]] = {}
    for row in found["links"]:
        target = _group_id(row["customer_tier"], row["customer_kind"])
        if row["supplier_tier"] is None:
            tier = row["customer_tier"] + 1
            gap_id = f"gap{tier}-{row['kind']}-{row['origin_country']}"
            gap = gaps.setdefault(
                gap_id,
                {
                    "id": gap_id,
                    "name": "?",
                    "kind": "gap",
                    "gap": row["kind"],
                    "country": row["origin_country"],
                    "tier": tier,
                    "count": 0,
                },
            )
            gap["count"] += row["links"]
            if row["origin_country"]:
                key = (f"c{row['origin_country']}", gap_id)
                origin[key] = origin.get(key, 0) + row["links"]
            source = gap_id
        else:
            source = _group_id(row["supplier_tier"], row["supplier_kind"])
        arrow(source, target, row["kind"], row["links"], row["volume"])
    edges = [
        {**drawn, "volume": _volume(drawn["volume"]), "gap": drawn["source"].startswith("gap")}
        for drawn in arrows.values()
    ]
    nodes.extend(gaps.values())
    for (country_id, target), count in sorted(origin.items()):
        countries[country_id] = countries.get(country_id, 0) + count
        edges.append({"source": country_id, "target": target, "kind": "origin", "count": count})
    max_tier = max((n["tier"] for n in nodes), default=0)
    nodes.extend(
        {"id": c, "name": c[1:], "kind": "country", "tier": max_tier + 1} for c in sorted(countries)
    )
    return {"nodes": nodes, "edges": edges, "collapsed": True}


def _link_groups(organisation: Organisation) -> QuerySet[Link, dict[str, Any]]:
    """The buyer's links within its chain, counted per tier and kind of both ends (a gap has no
    supplier: its supplier tier is NULL)."""
    return (
        Link.objects.filter(organisation=organisation)
        .annotate(
            customer_place=FilteredRelation(
                "customer__positions", condition=Q(customer__positions__organisation=organisation)
            ),
            supplier_place=FilteredRelation(
                "supplier__positions", condition=Q(supplier__positions__organisation=organisation)
            ),
        )
        .filter(customer_place__tier__isnull=False)
        .values(
            "kind",
            "origin_country",
            customer_tier=F("customer_place__tier"),
            customer_kind=F("customer__kind"),
            supplier_tier=F("supplier_place__tier"),
            supplier_kind=F("supplier__kind"),
        )
        .annotate(links=Count("pk"), volume=Sum("volume"))
        .order_by("customer_tier", "customer_kind", "supplier_tier", "supplier_kind", "kind")
    )


def collapsed_rows(graph: dict[str, Any]) -> list[dict[str, Any]]:
    """The collapsed drawing's arrows as table rows: from which group to which, how many links
    and their volume."""
    rows = queries.graph_rows(graph)
    for row, edge in zip(rows, graph["edges"], strict=True):
        row["links"] = edge.get("count")
    return rows


def chain_links(organisation: Organisation) -> QuerySet[Link]:
    """Every link within the buyer's chain, by customer, for a table read page by page."""
    return (
        Link.objects.filter(organisation=organisation)
        .annotate(
            customer_place=FilteredRelation(
                "customer__positions", condition=Q(customer__positions__organisation=organisation)
            )
        )
        .filter(customer_place__tier__isnull=False)
        .select_related("supplier", "customer")
        # The (organisation, customer) index's own order: a page needs no sort of every link.
        .order_by("customer_id", "pk")
    )


class Counted(Sequence[Any]):
    """Rows whose number is already known (`summary`), so a page of them costs one query and no
    count of every row."""

    def __init__(self, rows: QuerySet[Any], count: int) -> None:
        self.rows, self.count_known = rows, count

    def __len__(self) -> int:
        return self.count_known

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        return list(self.rows[index]) if isinstance(index, slice) else self.rows[index]


def link_row(link: Link) -> dict[str, Any]:
    """One link as a row of the table beside the graph."""
    if link.supplier is None:
        country = f" ({link.origin_country})" if link.origin_country else ""
        supplier = gettext("unknown") + country
    else:
        supplier = str(link.supplier)
    return {
        "supplier": supplier,
        "customer": str(link.customer),
        "kind": dict(LinkKind.choices).get(link.kind, link.kind),
        "volume": link.volume,
    }


# The links upstream of one facility, a page at a time, nearest the facility first, with how
# many there are in all (as queries._UPSTREAM_SQL walks them).
_ROOT_PAGE_SQL = """
WITH RECURSIVE reach(facility) AS (
    SELECT CAST(%s AS BIGINT)
    UNION
    SELECT link.supplier_id FROM reach CROSS JOIN supplychain_link AS link
    WHERE link.organisation_id = %s AND link.customer_id = reach.facility
)
SELECT link.id, link.supplier_id, link.customer_id, link.kind, link.volume, link.origin_country,
    COUNT(*) OVER ()
FROM reach CROSS JOIN supplychain_link AS link
LEFT JOIN supplychain_chainposition AS position
    ON position.organisation_id = %s AND position.facility_id = link.customer_id
WHERE link.organisation_id = %s AND link.customer_id = reach.facility
ORDER BY position.tier, link.id
LIMIT %s OFFSET %s
"""


def upstream_page(
    organisation: Organisation, root: int, *, page: int = 1, page_size: int = ROOT_PAGE_SIZE
) -> dict[str, Any]:
    """One facility of the chain and the links upstream of it, `page_size` links a page, in the
    shape of `queries.graph` (the caller checked the facility is in the buyer's chain)."""
    page_size = max(1, min(page_size, ROOT_PAGE_MAX))
    with connection.cursor() as cursor:
        cursor.execute(
            _ROOT_PAGE_SQL,
            [root, *[organisation.pk] * 3, page_size, (page - 1) * page_size],
        )
        rows = cursor.fetchall()
    total = rows[0][6] if rows else 0
    ids = {root} | {r[1] for r in rows if r[1]} | {r[2] for r in rows}
    positions = {
        p.facility_id: p
        for p in ChainPosition.objects.filter(
            organisation=organisation, facility_id__in=ids
        ).select_related("facility")
    }
    nodes = [queries.facility_node(position) for position in positions.values()]
    edges: list[dict[str, Any]] = []
    countries: set[str] = set()
    kinds = {kind: str(label) for kind, label in LinkKind.choices}
    for link_id, supplier, customer, kind, volume, origin_country, _total in rows:
        source = f"f{supplier}"
        if supplier is None:
            source = f"gap{link_id}"
            tier = positions[customer].tier + 1 if customer in positions else 0
            nodes.append(
                {
                    "id": source,
                    "name": "?",
                    "kind": "gap",
                    "gap": kind,
                    "country": origin_country,
                    "tier": tier,
                }
            )
            if origin_country:
                countries.add(origin_country)
                edges.append({"source": f"c{origin_country}", "target": source, "kind": "origin"})
        edges.append(
            {
                "source": source,
                "target": f"f{customer}",
                "kind": kind,
                "kind_name": kinds.get(kind, kind),
                "volume": None if volume is None else float(volume),
                "gap": supplier is None,
            }
        )
    queries.add_origins(positions.values(), nodes, edges, countries)
    pages = max(1, -(-total // page_size))
    return {
        "nodes": nodes,
        "edges": edges,
        "collapsed": False,
        "root": root,
        "page": page,
        "pages": pages,
        "links": total,
    }


def places(organisation: Organisation) -> list[dict[str, Any]]:
    """The map's points of a small chain: one a facility."""
    return list(
        queries.facilities_for(organisation)
        .filter(tier__isnull=False, latitude__isnull=False)
        .order_by("tier", "name_en")
        .values(
            "pk",
            "name_zh",
            "name_en",
            "kind",
            "latitude",
            "longitude",
            "tier",
            "province",
            "city",
            "country",
        )
    )


def place_groups(found: dict[str, Any]) -> list[dict[str, Any]]:
    """The map's points of a large chain, from `summary`: one a place (province and city) with
    its facilities counted, the largest MAP_PLACES places first."""
    return [
        {**place, "name": f"{place_label(place)} · {place['facilities']}"}
        for place in found["places"]
    ]


def _place_groups(organisation: Organisation) -> QuerySet[Facility, dict[str, Any]]:
    return (
        queries.facilities_for(organisation)
        .filter(tier__isnull=False, latitude__isnull=False)
        .values("country", "province", "city")
        .annotate(facilities=Count("pk"), latitude=Avg("latitude"), longitude=Avg("longitude"))
        .order_by("-facilities", "country", "province", "city")[:MAP_PLACES]
    )


def place_label(place: dict[str, Any]) -> str:
    """Province and city as the reader reads them: hanzi for a Chinese reader, pinyin with the
    hanzi beside it for others; the country when no place is known."""
    parts = [place.get(name) or "" for name in ("province", "city")]
    written = " ".join(part for part in parts if part)
    if not written:
        return str(place.get("country") or "")
    if reader_reads_chinese() or not has_chinese(written):
        return written
    return f"{' '.join(place_pinyin(part) for part in parts if part)} ({written})"
