"""Helpers shared by the import tests."""

from stonebridge.audit.models import Entry
from stonebridge.supplychain import importing, services
from stonebridge.supplychain.codes import credit_code_check_character
from stonebridge.supplychain.models import (
    Facility,
    FacilityRef,
    ImportJob,
    Link,
    Sourcing,
)
from stonebridge.supplychain.tabular import Table, write_csv, write_xlsx

FACILITY_HEADERS = ["ref", "kind", "name_zh", "name_en", "city", "credit_code", "migrant_share"]


Status = ImportJob.Status


def code(number: int) -> str:
    """A valid, invented unified social credit code."""
    first17 = f"91350583MA{number:07d}"
    return first17 + credit_code_check_character(first17)


def registry(**values: object) -> Facility:
    """A facility someone else already put in the shared registry."""
    facility = Facility(kind=values.pop("kind", "processor"), **values)
    services.prepare_facility(facility)
    facility.save()
    return facility


def upload(
    organisation,
    by,
    headers,
    rows,
    *,
    kind="facilities",
    fmt="stonebridge",
    ext="csv",
) -> ImportJob:
    data = write_csv(headers, rows) if ext == "csv" else write_xlsx(headers, rows, sheet_title="x")
    return importing.import_start(
        organisation=organisation, by=by, data=data, filename=f"list.{ext}", kind=kind, fmt=fmt
    )


def counts() -> tuple[int, int, int, int]:
    return (
        Facility.objects.count(),
        Link.objects.count(),
        Sourcing.objects.count(),
        FacilityRef.objects.count(),
    )


def verbs() -> list[str]:
    return list(
        Entry.objects.filter(verb__startswith="import.")
        .order_by("pk")
        .values_list("verb", flat=True)
    )


def import_facilities(buyer, owner, rows):
    """Facilities with the buyer's references, for links and sourcing files to refer to."""
    job = upload(buyer, owner, ["ref", "kind", "name_zh", "city", "credit_code"], rows)
    assert job.status == Status.DONE, job.errors
    return {ref: FacilityRef.objects.get(organisation=buyer, ref=ref).facility for ref, *_ in rows}


def table(**cells: str) -> Table:
    return Table(headers=list(cells), rows=[cells], row_numbers=[2])
