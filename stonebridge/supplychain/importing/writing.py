"""Preparing the writes of a checked import and writing them in one go."""

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.utils import timezone

from stonebridge.accounts.models import Organisation

from .. import services
from ..models import Facility, FacilityRef, ImportJob, Link, Sourcing
from ..signals import facility_changed
from .matching import Matching
from .validation import Row, link_key

PROGRESS_EVERY = 1000
BATCH = 2000

Writer = Callable[[], None]  # the writes of a prepared import


class Progress:
    """processed_rows, written in short updates of their own so the import page sees it move
    while the rows are prepared; the write itself is one transaction, invisible until the end."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.count = 0

    def tick(self) -> None:
        self.count += 1
        if self.count % PROGRESS_EVERY == 0:
            ImportJob.objects.filter(pk=self.job_id).update(processed_rows=self.count)


_FILLABLE = tuple(sorted(services.FACILITY_FIELDS - {"kind", "country"}))


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def _fill(facility: Facility, values: dict[str, Any]) -> bool:
    """Fill the facility's empty fields from the row; what someone already recorded in the shared
    registry is never overwritten by one buyer's list."""
    changed = False
    for name in _FILLABLE:
        value = values.get(name)
        if not _is_empty(value) and _is_empty(getattr(facility, name)):
            setattr(facility, name, list(value or ()) if name == "aliases" else value)
            changed = True
    return changed


def _in_bulk(ids: Iterable[int]) -> dict[int, Facility]:
    ids = list(ids)
    found: dict[int, Facility] = {}
    for start in range(0, len(ids), 500):
        found.update(Facility.objects.in_bulk(ids[start : start + 500]))
    return found


def prepare_facilities(
    organisation: Organisation, rows: list[Row], matching: Matching, progress: Progress
) -> tuple[dict[str, int], Writer]:
    existing = _in_bulk(set(matching.matched.values()))
    known_refs: set[str] = set()
    listed: set[int] = set()  # the facilities on the buyer's lists already
    for ref, facility_id in FacilityRef.objects.filter(organisation=organisation).values_list(
        "ref", "facility_id"
    ):
        known_refs.add(ref)
        listed.add(facility_id)
    new: list[Facility] = []
    changed: dict[int, Facility] = {}
    refs: list[tuple[str, Facility]] = []
    # Rows without a reference (Open Supply Hub lists have none) put the facility on the buyer's
    # list by its number in StoneBridge, which links and sourcing files may use as well.
    unnamed: list[Facility] = []
    now = timezone.now()
    for row in rows:
        values = row.values
        pk = matching.matched.get(row.number)
        if pk is None:
            facility = Facility(
                **{name: values[name] for name in services.FACILITY_FIELDS if name in values}
            )
            facility.aliases = list(facility.aliases)
            services.prepare_facility(facility)
            new.append(facility)
        else:
            facility = existing[pk]
            if _fill(facility, values):
                changed[pk] = facility
        if values.get("ref"):
            if values["ref"] not in known_refs:
                refs.append((values["ref"], facility))
        elif facility.pk not in listed:
            unnamed.append(facility)
        progress.tick()
    for facility in changed.values():
        services.prepare_facility(facility)  # the names may be new: search_text follows them
        facility.updated_at = now

    counts = {"created": len(new), "matched": len(rows) - len(new), "updated": len(changed)}

    def write() -> None:
        Facility.objects.bulk_create(new, batch_size=BATCH)
        Facility.objects.bulk_update(
            changed.values(), [*_FILLABLE, "search_text", "updated_at"], batch_size=500
        )
        if changed:
            # Filled-in blanks change what other buyers' risk scores start from.
            facility_changed.send(sender=Facility, facility_ids=list(changed))
        numbered = [(f"#{facility.pk}", facility) for facility in unnamed]
        FacilityRef.objects.bulk_create(
            [
                FacilityRef(organisation=organisation, ref=r, facility=f)
                for r, f in [*refs, *numbered]
            ],
            batch_size=BATCH,
            ignore_conflicts=True,
        )

    return counts, write


_LINK_FIELDS = ("product", "stone_type", "share", "volume", "origin_country")
_SOURCING_FIELDS = ("annual_volume", "annual_value", "currency", "share_of_output")


def _update(target: models.Model, values: dict[str, Any], fields: Iterable[str]) -> bool:
    """Set the fields the file has a column for; True if any changed."""
    changed = False
    for name in fields:
        if name in values and getattr(target, name) != values[name]:
            setattr(target, name, values[name])
            changed = True
    return changed


def prepare_links(
    organisation: Organisation, rows: list[Row], progress: Progress
) -> tuple[dict[str, int], Writer]:
    existing = {
        link_key(link.supplier_id, link.customer_id, link.kind, link.origin_country): link
        for link in Link.objects.filter(organisation=organisation)
    }
    new: list[Link] = []
    changed: list[Link] = []
    for row in rows:
        values = row.values
        key = link_key(
            values["supplier"], values["customer"], values["kind"], values.get("origin_country", "")
        )
        link = existing.get(key)
        if link is None:
            new.append(
                Link(
                    organisation=organisation,
                    supplier_id=values["supplier"],
                    customer_id=values["customer"],
                    kind=values["kind"],
                    **{name: values[name] for name in _LINK_FIELDS if name in values},
                )
            )
        elif _update(link, values, _LINK_FIELDS):
            changed.append(link)
        progress.tick()

    counts = {"created": len(new), "matched": len(rows) - len(new), "updated": len(changed)}

    def write() -> None:
        Link.objects.bulk_create(new, batch_size=BATCH)
        Link.objects.bulk_update(changed, list(_LINK_FIELDS), batch_size=500)

    return counts, write


def prepare_sourcing(
    organisation: Organisation, rows: list[Row], progress: Progress
) -> tuple[dict[str, int], Writer]:
    existing = {s.facility_id: s for s in Sourcing.objects.filter(organisation=organisation)}
    new: list[Sourcing] = []
    changed: list[Sourcing] = []
    for row in rows:
        values = row.values
        sourcing = existing.get(values["facility"])
        if sourcing is None:
            new.append(
                Sourcing(
                    organisation=organisation,
                    facility_id=values["facility"],
                    **{name: values[name] for name in _SOURCING_FIELDS if name in values},
                )
            )
        elif _update(sourcing, values, _SOURCING_FIELDS):
            changed.append(sourcing)
        progress.tick()

    counts = {"created": len(new), "matched": len(rows) - len(new), "updated": len(changed)}

    def write() -> None:
        Sourcing.objects.bulk_create(new, batch_size=BATCH)
        Sourcing.objects.bulk_update(changed, list(_SOURCING_FIELDS), batch_size=500)

    return counts, write
