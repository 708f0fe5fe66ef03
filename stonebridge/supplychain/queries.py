"""Reading a buyer's chain: the figures and the graph the pages and the API show."""

from typing import Any

from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, QuerySet

from stonebridge.accounts.models import Organisation

from . import chain
from .models import ChainPosition, Facility, FacilityRef, Link, Sourcing
from .names import query_key


def transparency(organisation: Organisation) -> chain.Transparency:
    positions = ChainPosition.objects.filter(organisation=organisation).values_list(
        "facility_id", "traced_share", "facility__kind"
    )
    traced = {f: share for f, share, _ in positions}
    kinds = {f: kind for f, _, kind in positions}
    volumes = dict(
        Sourcing.objects.filter(organisation=organisation).values_list(
            "facility_id", "annual_volume"
        )
    )
    gaps = [
        chain.Edge(supplier=None, customer=c, kind=k)
        for c, k in Link.objects.filter(
            organisation=organisation, supplier__isnull=True
        ).values_list("customer_id", "kind")
    ]
    return chain.transparency(volumes, gaps, traced, kinds)


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
    for facility_id, position in positions.items():
        facility: Facility = position.facility
        nodes.append(
            {
                "id": f"f{facility_id}",
                "facility": facility_id,
                "name": facility.name_zh or facility.name_en,
                "full_name": str(facility),
                "kind": facility.kind,
                "tier": position.tier,
                "country": facility.country,
                "traced_share": float(position.traced_share),
            }
        )
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
    for facility_id, position in positions.items():
        if position.facility.kind == Facility.Kind.QUARRY and position.facility.country:
            countries.add(position.facility.country)
            edges.append(
                {
                    "source": f"c{position.facility.country}",
                    "target": f"f{facility_id}",
                    "kind": "origin",
                }
            )
    max_tier = max((n["tier"] for n in nodes), default=0)
    nodes.extend(
        {"id": f"c{c}", "name": c, "kind": "country", "tier": max_tier + 1}
        for c in sorted(countries)
    )
    return {"nodes": nodes, "edges": edges}


def search(queryset: QuerySet[Facility], query: str) -> QuerySet[Facility]:
    """Find facilities by hanzi, pinyin (with or without tones and spaces) or English."""
    key = query_key(query)
    return queryset.filter(search_text__contains=key) if key else queryset


def facilities_for(organisation: Organisation) -> QuerySet[Facility]:
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
