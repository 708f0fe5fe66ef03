"""Read-only questions about the map: a buyer's chain (its links upstream, figures and graph)
and the shared registry (search, similar facilities, who may correct a record, whose chains hold
it, what a merge would make staff choose)."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar

from django.db import connection, transaction
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext
from rapidfuzz import fuzz

from stonebridge.accounts.models import Organisation

from . import chain, merging, owners
from .codes import ALPHABET, LENGTH, normalise_credit_code
from .models import (
    ChainPosition,
    Facility,
    FacilityQuerySet,
    FacilityRef,
    Link,
    LinkKind,
    Sourcing,
)
from .names import query_key

if TYPE_CHECKING:  # django-stubs-ext is installed for development only
    from django_stubs_ext import WithAnnotations

# The links upstream of some facilities, followed in the database so a buyer with hundreds of
# thousands of links loads only the part of its chain that matters (plain SQL: SQLite and
# PostgreSQL both have recursive queries). CROSS JOIN makes SQLite walk from the facilities
# reached to their links by the (organisation, customer) index instead of scanning all links;
# a gap's NULL supplier joins nothing, and testing for it would steer SQLite to the wrong index.
_UPSTREAM_SQL = """
WITH RECURSIVE reach(facility) AS (
    {start}
    UNION
    SELECT link.supplier_id FROM reach CROSS JOIN supplychain_link AS link
    WHERE link.organisation_id = %s AND link.customer_id = reach.facility
)
SELECT link.supplier_id, link.customer_id, link.kind, link.share, link.origin_country,
    link.volume
FROM reach CROSS JOIN supplychain_link AS link
WHERE link.organisation_id = %s AND link.customer_id = reach.facility
"""
_FROM_SOURCING = "SELECT facility_id FROM supplychain_sourcing WHERE organisation_id = %s"
_FROM_ONE = "SELECT CAST(%s AS BIGINT)"


def chain_rows(
    organisation: Organisation, *, upstream_of: int | None = None
) -> list[tuple[Any, ...]]:
    """The buyer's links reachable up the chain from its direct suppliers, or from one
    facility, as plain rows in the order of `chain.Edge`'s fields."""
    start, first = (_FROM_ONE, upstream_of) if upstream_of else (_FROM_SOURCING, organisation.pk)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # PostgreSQL guesses the reached set large and hashes all the buyer's links on every
            # step (1 s at 300,000 links); following the index from each facility takes 0.15 s.
            cursor.execute("SET LOCAL enable_hashjoin = off")
        cursor.execute(_UPSTREAM_SQL.format(start=start), [first, organisation.pk, organisation.pk])
        rows = cursor.fetchall()
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_hashjoin = DEFAULT")
    return rows


def chain_edges(organisation: Organisation, *, upstream_of: int | None = None) -> list[chain.Edge]:
    """As `chain_rows`, as edges with exact shares."""
    return [
        chain.Edge(
            s,
            c,
            k,
            None if share is None else Decimal(str(share)),
            o,
            None if volume is None else Decimal(str(volume)),
        )
        for s, c, k, share, o, volume in chain_rows(organisation, upstream_of=upstream_of)
    ]


def all_edges(organisation: Organisation) -> list[chain.Edge]:
    """Every link of the buyer, reachable from its direct suppliers or not (loops are loops
    wherever they are)."""
    return [
        chain.Edge(*values)
        for values in Link.objects.filter(organisation=organisation).values_list(
            "supplier_id", "customer_id", "kind", "share", "origin_country", "volume"
        )
    ]


class Bought(TypedDict):
    volume: Decimal  # the buyer's sourced volume
    traced_volume: Decimal  # of it, traced to a known quarry
    suppliers: int  # direct suppliers
    traced_suppliers: int  # direct suppliers whose input is wholly traced


def bought(organisation: Organisation) -> Bought:
    """The buyer's direct purchases and how much of them is traced to a known quarry, counted
    by the database in one query (a chain of 100,000 facilities is never read row by row)."""
    found = (
        Sourcing.objects.filter(organisation=organisation)
        .annotate(
            position=FilteredRelation(
                "facility__positions",
                condition=Q(facility__positions__organisation=organisation),
            ),
            traced=Coalesce(
                F("position__traced_share"),
                Value(chain.ZERO),
                output_field=DecimalField(max_digits=4, decimal_places=3),
            ),
        )
        .aggregate(
            volume=Sum("annual_volume"),
            traced_volume=Sum(
                ExpressionWrapper(
                    F("annual_volume") * F("traced"),
                    output_field=DecimalField(max_digits=17, decimal_places=5),
                )
            ),
            suppliers=Count("pk"),
            traced_suppliers=Count("pk", filter=Q(traced__gte=chain.ONE)),
        )
    )
    return {
        "volume": Decimal(str(found["volume"] or 0)),
        "traced_volume": Decimal(str(found["traced_volume"] or 0)),
        "suppliers": found["suppliers"],
        "traced_suppliers": found["traced_suppliers"],
    }


def transparency(organisation: Organisation) -> chain.Transparency:
    """As `chain.transparency` works it out, counted by the database."""
    volumes = bought(organisation)
    positions = ChainPosition.objects.filter(organisation=organisation)
    counted = positions.aggregate(
        facilities=Count("pk"),
        # Workshops and quarries are left out: a workshop works the customer's stone, a quarry
        # is the origin itself.
        unknown_origin=Count(
            "pk",
            filter=Q(traced_share__lt=chain.ONE) & ~Q(facility__kind__in=("quarry", "workshop")),
        ),
    )
    in_chain = positions.filter(facility=OuterRef("customer_id"))
    hidden = Link.objects.filter(
        Exists(in_chain), organisation=organisation, supplier__isnull=True, kind="subcontracts"
    ).count()
    total = volumes["volume"]
    share = (volumes["traced_volume"] / total).quantize(Decimal("0.001")) if total else chain.ZERO
    return chain.Transparency(
        traced_volume_share=share,
        undisclosed_subcontracting=hidden,
        unknown_origin_facilities=counted["unknown_origin"],
        facilities=counted["facilities"],
    )


def graph(organisation: Organisation) -> dict[str, Any]:
    """Nodes and edges from the buyer through the tiers to quarries and origin countries."""
    positions = {
        p.facility_id: p
        for p in ChainPosition.objects.filter(organisation=organisation).select_related("facility")
    }
    nodes: list[dict[str, Any]] = [
        {"id": "buyer", "name": organisation.name, "kind": "buyer", "tier": 0}
    ]
    edges: list[dict[str, Any]] = []
    nodes.extend(facility_node(position) for position in positions.values())
    countries: set[str] = set()
    for s in Sourcing.objects.filter(organisation=organisation):
        edges.append(
            {
                "source": f"f{s.facility_id}",
                "target": "buyer",
                "volume": float(s.annual_volume),
                "kind": "sourcing",
            }
        )
    for link in Link.objects.filter(organisation=organisation, customer_id__in=positions):
        if link.supplier_id is None:
            gap = f"gap{link.pk}"
            nodes.append(
                {
                    "id": gap,
                    "name": "?",
                    "kind": "gap",
                    "gap": link.kind,
                    "country": link.origin_country,
                    "tier": positions[link.customer_id].tier + 1,
                }
            )
            source = gap
            if link.origin_country:
                countries.add(link.origin_country)
                edges.append({"source": f"c{link.origin_country}", "target": gap, "kind": "origin"})
        else:
            source = f"f{link.supplier_id}"
        edges.append(
            {
                "source": source,
                "target": f"f{link.customer_id}",
                "kind": link.kind,
                "volume": float(link.volume) if link.volume is not None else None,
                "gap": link.supplier_id is None,
            }
        )
    add_origins(positions.values(), nodes, edges, countries)
    return {"nodes": nodes, "edges": edges}


def facility_node(position: ChainPosition) -> dict[str, Any]:
    """A facility of the chain as the graph draws it."""
    facility: Facility = position.facility
    return {
        "id": f"f{facility.pk}",
        "facility": facility.pk,
        "name": str(facility),
        "full_name": str(facility),
        "kind": facility.kind,
        "tier": position.tier,
        "country": facility.country,
        "traced_share": float(position.traced_share),
    }


def add_origins(
    positions: Iterable[ChainPosition],
    nodes: list[dict[str, Any]],
    edges: list[dict[str, Any]],
    countries: set[str],
) -> None:
    """Arrows from each quarry's country to the quarry, and the countries (those of `countries`,
    which gaps already named, and the quarries') as the graph's last column."""
    for position in positions:
        if position.facility.kind == Facility.Kind.QUARRY and position.facility.country:
            countries.add(position.facility.country)
            edges.append(
                {
                    "source": f"c{position.facility.country}",
                    "target": f"f{position.facility_id}",
                    "kind": "origin",
                }
            )
    max_tier = max((n["tier"] for n in nodes), default=0)
    nodes.extend(
        {"id": f"c{c}", "name": c, "kind": "country", "tier": max_tier + 1}
        for c in sorted(countries)
    )


def graph_rows(graph: dict[str, Any]) -> list[dict[str, Any]]:
    """The graph's arrows as rows of a table, for readers who cannot see the drawing: who
    supplies whom, how, and the volume drawn beside the arrow."""
    kinds = {
        **dict(LinkKind.choices),
        "sourcing": gettext("Sells to you"),
        "origin": gettext("Country of origin"),
    }
    names = {node["id"]: _node_name(node) for node in graph["nodes"]}
    return [
        {
            "supplier": names[edge["source"]],
            "customer": names[edge["target"]],
            "kind": kinds[edge["kind"]],
            "volume": edge.get("volume"),
        }
        for edge in graph["edges"]
    ]


def _node_name(node: dict[str, Any]) -> str:
    if node["kind"] == "buyer":
        return gettext("You")
    if node["kind"] == "gap":
        country = f" ({node['country']})" if node["country"] else ""
        return gettext("unknown") + country
    return str(node.get("full_name") or node["name"])


# A credit code, or its start from the division code on, is looked up as a code.
_CODE_PREFIX = 8


FacilityRows = TypeVar("FacilityRows", bound=QuerySet[Facility])


def search(queryset: FacilityRows, query: str) -> FacilityRows:
    """Find facilities by hanzi, pinyin (with or without tones and spaces), English, or their
    unified social credit code (whole, or its first eight characters or more, typed with spaces
    or in full-width characters as codes copied from Chinese documents often are)."""
    key = query_key(query)
    if not key:
        return queryset
    found = Q(search_text__contains=key)
    code = normalise_credit_code(query)
    looks_like_code = any(c.isdigit() for c in code) and all(c in ALPHABET for c in code)
    if _CODE_PREFIX <= len(code) <= LENGTH and looks_like_code:
        found |= Q(credit_code=code) if len(code) == LENGTH else Q(credit_code__startswith=code)
    return queryset.filter(found)


class InChain(TypedDict):
    """What facilities_for adds to each facility of the registry."""

    # The join to the buyer's own position that tier and traced_share read: the plugin counts it
    # among the annotations, though a row has no such value.
    mine: FilteredRelation
    tier: int | None
    traced_share: Decimal | None
    listed: bool


def facilities_for(
    organisation: Organisation,
) -> "FacilityQuerySet[WithAnnotations[Facility, InChain]]":
    """The shared registry, with this buyer's tier and tracing alongside (NULL if not in its
    chain) and whether one of its imported lists holds the facility, in one query."""
    return Facility.objects.defer("search_text").annotate(
        mine=FilteredRelation("positions", condition=Q(positions__organisation=organisation)),
        tier=F("mine__tier"),
        traced_share=F("mine__traced_share"),
        listed=Exists(
            FacilityRef.objects.filter(organisation=organisation, facility=OuterRef("pk"))
        ),
    )


# Words that say where a firm is or what legal form it has, not which firm it is: left out of
# the part of a name that is compared when a new facility is added (StoneBridge default lists).
_PLACE_PREFIX = re.compile(r"^(?:[\u4e00-\u9fff]{1,6}?(?:自治区|省|市|县|区|镇|乡))+")
# In an address only the province, city and county are left out: the rest says where the site is.
_ADDRESS_PREFIX = re.compile(r"^(?:[\u4e00-\u9fff]{1,6}?(?:自治区|省|市|县))+")
_GENERIC_ZH = re.compile(
    r"(?:股份有限公司|有限责任公司|有限公司|公司|集团|石材|石业|石料|加工|雕刻|矿业|厂|矿|场)+$"
)
_GENERIC_EN = frozenset(
    {"co", "ltd", "limited", "company", "inc", "corp", "corporation", "group", "stone", "stones"}
    | {"factory", "quarry", "granite", "marble", "industry", "industrial", "trading"}
)
SIMILAR_LIMIT = 5


@dataclass(frozen=True)
class Similar:
    """A registry facility that may be the one being added, and why it was found."""

    facility: Facility
    same_credit_code: bool
    similar_name: bool
    same_address: bool


def _name_keys(name: str) -> list[str]:
    """The whole name, its distinctive part and the brand word just before the trade words
    (南安市水头鑫源石材厂 → 水头鑫源, 鑫源), as search keys."""
    keys = [query_key(name)]
    if any("\u4e00" <= c <= "\u9fff" for c in name):
        core = query_key(_GENERIC_ZH.sub("", _PLACE_PREFIX.sub("", "".join(name.split()))))
        keys.extend([core, core[-2:]] if len(core) >= 2 else [])
    else:
        words = [query_key(w) for w in name.replace(",", " ").replace(".", " ").split()]
        keys.append("".join(w for w in words if w and w not in _GENERIC_EN))
    return [k for k in dict.fromkeys(keys) if len(k) >= 2 and not (k.isascii() and len(k) < 4)]


def _address_key(address: str) -> str:
    key = _ADDRESS_PREFIX.sub("", "".join(address.split()))
    return key if len(key) >= 6 else ""


def similar_facilities(
    *,
    name_zh: str = "",
    name_en: str = "",
    aliases: list[str] | tuple[str, ...] = (),
    credit_code: str | None = None,
    address: str = "",
    exclude: int | None = None,
) -> list[Similar]:
    """Facilities of the registry that may be the one about to be added: the same credit code,
    a name that contains the new name's distinctive part, or the same address. At most
    SIMILAR_LIMIT by name, the most alike first, after every same code and address."""
    keys = [k for name in (name_zh, name_en, *aliases) if name for k in _name_keys(name)]
    code = normalise_credit_code(credit_code or "")
    address_key = _address_key(address)
    wanted = Q()
    for key in keys:
        wanted |= Q(search_text__contains=key)
    if len(code) == LENGTH:
        wanted |= Q(credit_code=code)
    if address_key:
        wanted |= Q(address__contains=address_key)
    if not wanted:
        return []
    found = Facility.objects.filter(wanted).exclude(pk=exclude or 0).order_by("pk")[:200]
    # Ordered by how alike the names are as written (rapidfuzz on the compact names: cheap
    # enough for every row found, where comparing their pinyin would take a second).
    names = [query_key(n) for n in (name_zh, name_en, *aliases) if n]
    similar = []
    for facility in found:
        theirs = [query_key(n) for n in (facility.name_zh, facility.name_en, *facility.aliases)]
        likeness = max((fuzz.ratio(a, b) for a in names for b in theirs if b), default=0.0)
        found_by_name = any(key in facility.search_text for key in keys)
        similar.append(
            (
                likeness,
                Similar(
                    facility=facility,
                    same_credit_code=bool(code) and facility.credit_code == code,
                    similar_name=found_by_name,
                    same_address=bool(address_key) and address_key in facility.address,
                ),
            )
        )
    similar.sort(key=lambda pair: -pair[0])
    certain = [s for _, s in similar if s.same_credit_code or s.same_address]
    by_name = [s for _, s in similar if not (s.same_credit_code or s.same_address)]
    return certain + by_name[:SIMILAR_LIMIT]


def may_edit(organisation: Organisation, facility: Facility) -> bool:
    """The registry is shared: an organisation corrects a facility that is in its own chain, one
    nobody has in theirs yet, or its own site as the facility's supplier; never a record other
    buyers rely on and it has no part in."""
    in_chains = ChainPosition.objects.filter(facility=facility)
    return (
        in_chains.filter(organisation=organisation).exists()
        or not in_chains.exists()
        or owners.is_own_supplier(organisation, facility)
    )


def chains_holding(*facilities: Facility) -> set[int]:
    """Organisations whose chain holds or links any of these facilities."""
    ids = [f.pk for f in facilities]
    touching = Q(supplier_id__in=ids) | Q(customer_id__in=ids)
    return {
        *ChainPosition.objects.filter(facility_id__in=ids).values_list(
            "organisation_id", flat=True
        ),
        *Sourcing.objects.filter(facility_id__in=ids).values_list("organisation_id", flat=True),
        *Link.objects.filter(touching).values_list("organisation_id", flat=True),
    }


def merge_conflicts(*, keep: Facility, remove: Facility) -> list[merging.Conflict]:
    """Where one buyer holds both facilities the same way, for staff to choose before merging."""
    return [c for h in merging.handlers() for c in h.conflicts(keep=keep, remove=remove)]
