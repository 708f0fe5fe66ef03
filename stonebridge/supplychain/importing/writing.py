"""Preparing the writes of a checked import and writing them in one go, with what each row did
(ImportOutcome), for the result page and for undoing the import."""

from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, models
from django.utils import timezone

from stonebridge import bulk
from stonebridge.accounts.models import Organisation, User

from .. import services
from ..models import WORKFORCE_FIELDS, Facility, FacilityRef, ImportOutcome, Link, Sourcing
from ..signals import facility_changed, workforce_stated
from .matching import Matching
from .progress import Progress
from .validation import Row, link_key

BATCH = 2000
Action = ImportOutcome.Action

Writer = Callable[[], None]  # the writes of a prepared import
Changes = dict[str, tuple[Any, Any]]  # field → (before, after)


_FILLABLE = tuple(sorted(services.FACILITY_FIELDS - {"kind", "country"}))


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def _fill(facility: Facility, values: dict[str, Any]) -> Changes:
    """Fill the facility's empty fields from the row; what someone already recorded in the shared
    registry is never overwritten by one buyer's list."""
    changes: Changes = {}
    for name in _FILLABLE:
        value = values.get(name)
        before = getattr(facility, name)
        if not _is_empty(value) and _is_empty(before):
            setattr(facility, name, list(value or ()) if name == "aliases" else value)
            changes[name] = (before, getattr(facility, name))
    return changes


def _workforce(row: Row) -> dict[str, Any]:
    return {name: row.values.get(name) for name in WORKFORCE_FIELDS}


def _in_bulk(ids: Iterable[int]) -> dict[int, Facility]:
    ids = list(ids)
    found: dict[int, Facility] = {}
    for start in range(0, len(ids), 500):
        found.update(Facility.objects.in_bulk(ids[start : start + 500]))
    return found


def _outcome(job_id: int, row: Row, action: str, changes: Changes, **targets: Any) -> ImportOutcome:
    return ImportOutcome(
        job_id=job_id,
        row=row.number,
        action=action,
        before={name: before for name, (before, _after) in changes.items()},
        after={name: after for name, (_before, after) in changes.items()},
        **targets,
    )


def prepare_facilities(
    organisation: Organisation,
    by: User | None,
    rows: list[Row],
    matching: Matching,
    progress: Progress,
    job_id: int,
) -> tuple[dict[str, int], Writer]:
    existing = _in_bulk(set(matching.matched.values()))
    known_refs: set[str] = set()
    listed: set[int] = set()  # the facilities on the buyer's lists already
    for known, facility_id in FacilityRef.objects.filter(organisation=organisation).values_list(
        "ref", "facility_id"
    ):
        known_refs.add(known)
        listed.add(facility_id)
    new: list[Facility] = []
    changed: dict[int, Facility] = {}
    # Each row: what it did, to which facility, the fields it filled in, and the reference it
    # adds: the file's, or (Open Supply Hub lists have none) None for the facility's number in
    # StoneBridge, which links and sourcing files may use as well.
    done: list[tuple[Row, str, Facility, Changes, str | None]] = []
    now = timezone.now()
    for row in rows:
        values = row.values
        pk = matching.matched.get(row.number)
        changes: Changes = {}
        if pk is None:
            facility = Facility(
                **{name: values[name] for name in services.FACILITY_FIELDS if name in values}
            )
            facility.aliases = list(facility.aliases)
            services.prepare_facility(facility)
            new.append(facility)
            action = Action.CREATED
        else:
            facility = existing[pk]
            changes = _fill(facility, values)
            if changes:
                changed[pk] = facility
            action = Action.CHANGED if changes else Action.MATCHED
        ref: str | None = ""
        if values.get("ref"):
            if values["ref"] not in known_refs:
                ref = values["ref"]
                known_refs.add(ref)
        elif facility.pk not in listed:
            ref = None
        if facility.pk is not None:
            listed.add(facility.pk)
        done.append((row, action, facility, changes, ref))
        progress.tick()
    for facility in changed.values():
        # The names may be new: search_text and name_parts follow them.
        services.prepare_facility(facility)
        facility.updated_at = now

    counts = {"created": len(new), "matched": len(rows) - len(new), "updated": len(changed)}

    def write() -> None:
        bulk.reserve_ids(Facility, new)
        bulk.insert(Facility, new)
        for facility in new:
            facility._state.adding, facility._state.db = False, connection.alias
        Facility.objects.bulk_update(
            changed.values(),
            [*_FILLABLE, "search_text", "name_parts", "updated_at"],
            batch_size=500,
        )
        if changed:
            facility_changed.send(sender=Facility, facility_ids=list(changed))
            # Filling in a shared record is a change like any other for the buyers holding it.
            filled: dict[Facility, dict[str, Any]] = {}
            for _row, _action, facility, changes, _ref in done:
                if changes:
                    fields = filled.setdefault(facility, {})
                    fields.update({name: list(pair) for name, pair in changes.items()})
            services.tell_holders(editor=organisation, by=by, changes=filled)
        # The figures in a buyer's list are its own statement: they count for its scores only.
        stated = {facility.pk: _workforce(row) for row, _action, facility, _c, _r in done}
        figures = {pk: f for pk, f in stated.items() if any(v is not None for v in f.values())}
        if figures and organisation.has_chain:
            workforce_stated.send(
                sender=Facility, organisation=organisation, by=by, figures=figures
            )
        outcomes, refs = [], {}
        for row, action, facility, changes, ref in done:
            if ref is None:
                ref = f"#{facility.pk}"
            if ref and ref not in refs:
                refs[ref] = FacilityRef(
                    organisation_id=organisation.pk, ref=ref, facility_id=facility.pk
                )
            else:
                ref = ""
            outcomes.append(
                _outcome(job_id, row, action, changes, facility_id=facility.pk, ref=ref)
            )
        bulk.insert(FacilityRef, list(refs.values()), ignore_conflicts=True)
        bulk.insert(ImportOutcome, outcomes)

    return counts, write


_LINK_FIELDS = ("product", "stone_type", "share", "volume", "origin_country")
_SOURCING_FIELDS = ("annual_volume", "annual_value", "currency", "share_of_output")


def _update(target: models.Model, values: dict[str, Any], fields: Iterable[str]) -> Changes:
    """Set the fields the file has a column for; the changes."""
    changes: Changes = {}
    for name in fields:
        if name in values and getattr(target, name) != values[name]:
            changes[name] = (getattr(target, name), values[name])
            setattr(target, name, values[name])
    return changes


def _prepare_rows(
    model: type[Link] | type[Sourcing],
    existing: dict[Any, Any],
    rows: list[Row],
    progress: Progress,
    job_id: int,
    *,
    key: Callable[[dict[str, Any]], Any],
    make: Callable[[dict[str, Any]], Any],
    fields: tuple[str, ...],
    target: str,
) -> tuple[dict[str, int], Writer]:
    """Links and sourcing alike: a row adds the buyer's row for its key or updates the one there,
    and what each row did is kept with the facility it concerns."""
    new: list[Any] = []
    changed: list[Any] = []
    done: list[tuple[Row, str, Any, Changes]] = []
    for row in rows:
        values = row.values
        found = existing.get(key(values))
        changes: Changes = {}
        if found is None:
            found = make(values)
            new.append(found)
            action = Action.LINKED
        elif changes := _update(found, values, fields):
            changed.append(found)
            action = Action.CHANGED
        else:
            action = Action.MATCHED
        done.append((row, action, found, changes))
        progress.tick()

    counts = {"created": len(new), "matched": len(rows) - len(new), "updated": len(changed)}
    facility_of = "customer_id" if model is Link else "facility_id"

    def write() -> None:
        model.objects.bulk_create(new, batch_size=BATCH)
        model.objects.bulk_update(changed, list(fields), batch_size=500)
        bulk.insert(
            ImportOutcome,
            [
                _outcome(
                    job_id,
                    row,
                    action,
                    changes,
                    facility_id=getattr(made, facility_of),
                    **{target: made},
                )
                for row, action, made, changes in done
            ],
        )

    return counts, write


def prepare_links(
    organisation: Organisation, rows: list[Row], progress: Progress, job_id: int
) -> tuple[dict[str, int], Writer]:
    existing = {
        link_key(link.supplier_id, link.customer_id, link.kind, link.origin_country): link
        for link in Link.objects.filter(organisation=organisation)
    }
    return _prepare_rows(
        Link,
        existing,
        rows,
        progress,
        job_id,
        key=lambda values: link_key(
            values["supplier"], values["customer"], values["kind"], values.get("origin_country", "")
        ),
        make=lambda values: Link(
            organisation=organisation,
            supplier_id=values["supplier"],
            customer_id=values["customer"],
            kind=values["kind"],
            **{name: values[name] for name in _LINK_FIELDS if name in values},
        ),
        fields=_LINK_FIELDS,
        target="link",
    )


def prepare_sourcing(
    organisation: Organisation, rows: list[Row], progress: Progress, job_id: int
) -> tuple[dict[str, int], Writer]:
    existing = {s.facility_id: s for s in Sourcing.objects.filter(organisation=organisation)}
    return _prepare_rows(
        Sourcing,
        existing,
        rows,
        progress,
        job_id,
        key=lambda values: values["facility"],
        make=lambda values: Sourcing(
            organisation=organisation,
            facility_id=values["facility"],
            **{name: values[name] for name in _SOURCING_FIELDS if name in values},
        ),
        fields=_SOURCING_FIELDS,
        target="sourcing",
    )
