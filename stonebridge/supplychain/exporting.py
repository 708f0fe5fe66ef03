"""A buyer's chain as files: the import templates' columns, so an export can be edited and
imported again, and Open Supply Hub's list format. tabular's writers keep formulas inert."""

from typing import Any

from django.db.models import F, QuerySet
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stonebridge.accounts.access import scoped
from stonebridge.accounts.models import Membership, Organisation
from stonebridge.downloads.listing import Listing, yes_no

from . import queries
from .forms import ON_MY_LISTS, FacilityFilterForm
from .importing import OSHUB_COLUMNS, SPECS, STONEBRIDGE
from .models import Activity, ChainPosition, Facility, FacilityRef, ImportJob, Link, Sourcing, Stone
from .tabular import write_csv, write_xlsx_sheets

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SECTOR = "Natural stone"
# Open Supply Hub's facility type for each kind, in words its import maps back (importing.columns).
OSHUB_FACILITY_TYPES: dict[str, str] = {
    Facility.Kind.QUARRY: "Quarry",
    Facility.Kind.TRADER: "Trading",
    Facility.Kind.BLOCK_IMPORTER: "Trading",
    Facility.Kind.EXPORTER: "Export",
    Facility.Kind.PROCESSOR: "Processing",
    Facility.Kind.WORKSHOP: "Processing",
}

Rows = list[list[object]]


def _refs(organisation: Organisation) -> dict[int, str]:
    """The buyer's reference for each facility (the first, if it gave one several)."""
    refs: dict[int, str] = {}
    for facility, ref in (
        FacilityRef.objects.filter(organisation=organisation)
        .order_by("ref")
        .values_list("facility_id", "ref")
    ):
        refs.setdefault(facility, ref)
    return refs


def _reference(facility: Facility, refs: dict[int, str]) -> str:
    """How a links or sourcing file names a facility: the buyer's reference, else its credit
    code, else its number in StoneBridge."""
    return refs.get(facility.pk) or facility.credit_code or f"#{facility.pk}"


def _listed(organisation: Organisation) -> list[tuple[Facility, int | None]]:
    """The facilities of the buyer's chain with their tier, then those of its imported lists
    that no link or sourcing puts in the chain yet (no tier)."""
    positions = list(
        ChainPosition.objects.filter(organisation=organisation)
        .select_related("facility")
        .order_by("tier", "facility__name_zh", "facility__name_en", "facility_id")
    )
    in_chain = {p.facility_id for p in positions}
    untiered = (
        Facility.objects.filter(refs__organisation=organisation)
        .exclude(pk__in=in_chain)
        .distinct()
        .order_by("name_zh", "name_en", "pk")
    )
    return [(p.facility, p.tier) for p in positions] + [(f, None) for f in untiered]


def _facility_values(facility: Facility, ref: str, tier: int | None) -> dict[str, Any]:
    return {
        "ref": ref,
        "kind": facility.kind,
        "name_zh": facility.name_zh,
        "name_en": facility.name_en,
        "aliases": "; ".join(facility.aliases),
        "country": facility.country,
        "province": facility.province,
        "city": facility.city,
        "district": facility.district,
        "address": facility.address,
        "latitude": facility.latitude,
        "longitude": facility.longitude,
        "credit_code": facility.credit_code or "",
        "activities": "; ".join(facility.activity_list()),
        "stone_types": "; ".join(facility.stone_list()),
        "workers": facility.workers,
        "migrant_share": facility.migrant_share,
        "dispatched_share": facility.dispatched_share,
        "intern_share": facility.intern_share,
        "os_hub_id": facility.os_hub_id,
        "tier": tier,
    }


def export_table(organisation: Organisation, kind: str) -> tuple[list[str], Rows]:
    """The buyer's facilities (those in its chain and on its imported lists, with its reference
    and their tier), links or sourcing, under the import template's headings."""
    columns = SPECS[(kind, STONEBRIDGE)].columns
    headers = [c.header for c in columns]
    refs = _refs(organisation)
    values: list[dict[str, Any]]
    if kind == ImportJob.Kind.FACILITIES:
        values = [
            _facility_values(facility, refs.get(facility.pk, ""), tier)
            for facility, tier in _listed(organisation)
        ]
    elif kind == ImportJob.Kind.LINKS:
        links = (
            Link.objects.filter(organisation=organisation)
            .select_related("supplier", "customer")
            .order_by("customer_id", "supplier_id", "kind", "pk")
        )
        values = [
            {
                "supplier": _reference(link.supplier, refs) if link.supplier else "unknown",
                "customer": _reference(link.customer, refs),
                "kind": link.kind,
                "product": link.product,
                "stone_type": link.stone_type,
                "share": link.share,
                "volume": link.volume,
                "origin_country": link.origin_country,
            }
            for link in links
        ]
    elif kind == ImportJob.Kind.SOURCING:
        sourcing = (
            Sourcing.objects.filter(organisation=organisation)
            .select_related("facility")
            .order_by("-annual_volume", "pk")
        )
        values = [
            {
                "supplier": _reference(s.facility, refs),
                "annual_volume": s.annual_volume,
                "annual_value": s.annual_value,
                "currency": s.currency,
                "share_of_output": s.share_of_output,
            }
            for s in sourcing
        ]
    else:
        raise ValueError(f"unknown kind of export: {kind!r}")
    return headers, [[v[c.key] for c in columns] for v in values]


def _full_address(facility: Facility) -> str:
    """The address with the province, city and district it does not already mention: Open Supply
    Hub has only this one field for where a facility is."""
    places = [p for p in (facility.province, facility.city, facility.district) if p]
    missing = [p for p in places if p not in facility.address]
    return " ".join([*missing, facility.address]).strip()


def export_oshub(organisation: Organisation) -> tuple[list[str], Rows]:
    """The facilities of the buyer's chain and lists as an Open Supply Hub list, to contribute
    there."""
    headers = [c.key for c in OSHUB_COLUMNS]
    rows: Rows = []
    # Open Supply Hub reads English.
    with translation.override("en"):
        for facility, _tier in _listed(organisation):
            values: dict[str, object] = {
                "country": facility.country,
                "name": facility.name_zh or facility.name_en,
                "address": _full_address(facility),
                "sector": SECTOR,
                "product_type": "|".join(str(Stone(s).label) for s in facility.stone_list()),
                "facility_type": OSHUB_FACILITY_TYPES.get(facility.kind, "Processing"),
                "processing_type": "|".join(
                    str(Activity(a).label) for a in facility.activity_list()
                ),
                "number_of_workers": facility.workers,
                "parent_company": "",
                "lat": facility.latitude,
                "lng": facility.longitude,
            }
            rows.append([values[h] for h in headers])
    return headers, rows


def export_file(organisation: Organisation, fmt: str) -> tuple[bytes, str, str]:
    """(content, filename, content type) of an export: "csv" the facilities, "xlsx" a workbook
    of facilities, links and sourcing, "oshub" the Open Supply Hub list (.csv)."""
    stem = f"{organisation.slug}-{timezone.localdate().isoformat()}"
    if fmt == "csv":
        headers, rows = export_table(organisation, ImportJob.Kind.FACILITIES)
        return write_csv(headers, rows), f"{stem}-facilities.csv", CSV_TYPE
    if fmt == "xlsx":
        sheets = [(kind, *export_table(organisation, kind)) for kind in ImportJob.Kind.values]
        return write_xlsx_sheets(sheets), f"{stem}-supply-chain.xlsx", XLSX_TYPE
    if fmt == "oshub":
        headers, rows = export_oshub(organisation)
        return write_csv(headers, rows), f"{stem}-open-supply-hub.csv", CSV_TYPE
    raise ValueError(f"unknown export format: {fmt!r}")


SORT_FIELDS = {
    "name": (F("name_en").asc(), F("name_zh").asc()),
    "-workers": (F("workers").desc(nulls_last=True),),
    "province": (F("province").asc(), F("city").asc()),
    # Facilities outside the buyer's chain have no tier; they come last.
    "tier": (F("tier").asc(nulls_last=True), F("name_en").asc()),
    "-updated_at": (F("updated_at").desc(),),
}


def filtered_facilities(
    membership: Membership, params: QueryDict
) -> tuple[QuerySet[Any], FacilityFilterForm]:
    """The facilities page's list: the registry with the buyer's tier, searched, filtered and
    sorted as its address says; the form that read it."""
    form = FacilityFilterForm(params or None)
    facilities: Any = queries.facilities_for(membership.organisation)
    sort = "name"
    if form.is_valid():
        data = form.cleaned_data
        facilities = queries.search(facilities, data["q"])
        if data["kind"]:
            facilities = facilities.filter(kind=data["kind"])
        if data["province"]:
            facilities = facilities.filter(province__icontains=data["province"])
        if data["tier"] == 0:
            facilities = facilities.filter(tier__isnull=False)
        elif data["tier"] == ON_MY_LISTS:
            facilities = facilities.filter(listed=True)
        elif data["tier"]:
            facilities = facilities.filter(tier=data["tier"])
        if data["stone"]:
            facilities = facilities.with_stone(data["stone"])
        if data["activity"]:
            facilities = facilities.with_activity(data["activity"])
        sort = data["sort"] or sort
    return facilities.order_by(*SORT_FIELDS[sort], "pk"), form


FACILITIES = Listing(
    key="stonebridge.supplychain.exporting.FACILITIES",
    title=lambda: _("Facilities"),
    filename="facilities",
    page="supplychain:facilities",
    headers=lambda: [
        _("Facility (Chinese)"),
        _("Facility (English or pinyin)"),
        _("Kind"),
        _("Country"),
        _("Province"),
        _("City"),
        _("Workers"),
        _("Tier"),
        _("On your list"),
    ],
    rows=lambda membership, params: filtered_facilities(membership, params)[0],
    line=lambda facility: [
        facility.name_zh,
        facility.name_en,
        facility.get_kind_display(),
        facility.country,
        facility.province,
        facility.city,
        facility.workers,
        facility.tier,
        yes_no(facility.listed),
    ],
)


def import_jobs(membership: Membership, params: QueryDict) -> QuerySet[ImportJob]:
    """The organisation's earlier imports, newest first, as its import page lists them."""
    return scoped(ImportJob.objects.defer("data"), membership)


IMPORT_JOBS = Listing(
    key="stonebridge.supplychain.exporting.IMPORT_JOBS",
    title=lambda: _("Earlier imports"),
    filename="imports",
    page="supplychain:imports",
    headers=lambda: [_("File"), _("What"), _("Rows"), _("Status"), _("Time")],
    rows=import_jobs,
    line=lambda job: [
        job.filename,
        job.get_kind_display(),
        job.total_rows,
        job.get_status_display(),
        timezone.localtime(job.created_at).replace(tzinfo=None, microsecond=0),
    ],
)
