"""Checking every row of an imported list, and what links and sourcing files call a facility."""

import functools
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from stonebridge.accounts.models import Organisation

from .. import chain, queries
from ..codes import normalise_credit_code
from ..models import Facility, FacilityRef
from ..tabular import Table
from .columns import (
    FACILITIES,
    LINKS,
    OSHUB,
    SPECS,
    STONEBRIDGE,
    Column,
    Spec,
    from_oshub,
)
from .progress import Progress
from .values import UNKNOWN, CellError, Error, error_at


@dataclass
class Row:
    number: int  # as the spreadsheet numbers it
    # Checked values by column key. Facilities: the Facility fields and "ref"; links: "supplier"
    # and "customer" as facility ids (supplier None for a gap); sourcing: "facility" as an id.
    # Columns absent from the file are absent here, so an update leaves those fields alone.
    values: dict[str, Any]


def _map_headers(headers: list[str], spec: Spec) -> tuple[dict[str, Column], list[Error]]:
    mapping: dict[str, Column] = {}
    errors: list[Error] = []
    seen: dict[str, str] = {}
    for header in headers:
        column = spec.column_for(header)
        if column is None and spec.extra_ignored:
            continue
        if column is None:
            errors.append(
                error_at(
                    1,
                    header,
                    _("The column “%(header)s” is not known. The columns are: %(keys)s.")
                    % {"header": header, "keys": ", ".join(c.key for c in spec.columns)},
                )
            )
        elif column.key in seen:
            errors.append(
                error_at(
                    1,
                    header,
                    _("The columns “%(first)s” and “%(second)s” are both %(key)s.")
                    % {"first": seen[column.key], "second": header, "key": column.key},
                )
            )
        else:
            seen[column.key] = header
            mapping[header] = column
    for group in spec.needed:
        if not any(key in seen for key in group):
            errors.append(
                error_at(
                    1,
                    group[0],
                    _("The column %(column)s is missing.") % {"column": " / ".join(group)},
                )
            )
    return mapping, errors


def _parse(
    record: dict[str, str], mapping: dict[str, Column], number: int, errors: list[Error]
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for header, column in mapping.items():
        if column.ignored:
            continue
        raw = record[header]
        if not raw or raw.isspace():
            if column.required:
                errors.append(error_at(number, column.key, _("This column needs a value.")))
            values[column.key] = column.empty
            continue
        try:
            values[column.key] = column.parse(raw)
        except CellError as error:
            errors.append(error_at(number, column.key, error.message))
    return values


def validate(
    organisation: Organisation, table: Table, kind: str, fmt: str, progress: Progress | None = None
) -> tuple[list[Row], list[Error]]:
    """Every row of the table checked: the rows without errors, and the errors of all rows as
    {"row": spreadsheet row number, "column": column key, "message": …}."""
    spec = SPECS.get((kind, fmt))
    if spec is None:
        return [], [error_at(0, "", _("An Open Supply Hub list holds facilities only."))]
    mapping, errors = _map_headers(table.headers, spec)
    if errors:
        return [], errors
    if not table.rows:
        return [], [error_at(0, "", _("The file has no rows below its headings."))]
    rows: list[Row] = []
    progress = progress or Progress()
    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        progress.tick()
        before = len(errors)
        values = _parse(cells, mapping, number, errors)
        if (kind, fmt) == (FACILITIES, STONEBRIDGE) and not _named(values, errors[before:]):
            errors.append(
                error_at(number, "name_zh", _("Give the name in Chinese, or in English or pinyin."))
            )
        if len(errors) == before:
            rows.append(Row(number, from_oshub(values) if fmt == OSHUB else values))
    if kind == FACILITIES:
        rows = _check_facilities(rows, errors)
    elif kind == LINKS:
        rows = _check_links(organisation, rows, errors)
    else:
        rows = _check_sourcing(organisation, rows, errors)
    errors.sort(key=lambda e: e["row"])
    return rows, errors


def _named(values: dict[str, Any], row_errors: list[Error]) -> bool:
    """Whether the row has a name, or a name already reported as wrong."""
    return bool(
        values.get("name_zh")
        or values.get("name_en")
        or any(e["column"] in ("name_zh", "name_en") for e in row_errors)
    )


def _first_seen(rows: dict[Any, int], value: Any, number: int) -> int | None:
    """The row a value was first seen on, if before this one."""
    first = rows.setdefault(value, number)
    return first if first != number else None


def _check_facilities(rows: list[Row], errors: list[Error]) -> list[Row]:
    valid = []
    refs: dict[str, int] = {}
    codes: dict[str, int] = {}
    for row in rows:
        before = len(errors)
        values = row.values
        if values.get("ref") and (first := _first_seen(refs, values["ref"], row.number)):
            errors.append(
                error_at(
                    row.number,
                    "ref",
                    _("Row %(row)d has the same reference.") % {"row": first},
                )
            )
        if values.get("credit_code") and (
            first := _first_seen(codes, values["credit_code"], row.number)
        ):
            errors.append(
                error_at(
                    row.number,
                    "credit_code",
                    _("Row %(row)d has the same credit code.") % {"row": first},
                )
            )
        if len(errors) == before:
            valid.append(row)
    return valid


class _References:
    """What a links or sourcing file may call a facility: the buyer's own reference, a credit
    code, or "#123", the facility's number in StoneBridge (what an export writes when the
    facility has neither)."""

    def __init__(self, organisation: Organisation) -> None:
        self.refs = dict(
            FacilityRef.objects.filter(organisation=organisation).values_list("ref", "facility_id")
        )

    @functools.cached_property
    def codes(self) -> dict[str, int]:
        return {
            code: pk
            for code, pk in Facility.objects.exclude(credit_code=None).values_list(
                "credit_code", "pk"
            )
            if code
        }

    @functools.cached_property
    def ids(self) -> set[int]:
        return set(Facility.objects.values_list("pk", flat=True))

    def resolve(self, text: str) -> int:
        if text in self.refs:
            return self.refs[text]
        if text.startswith("#") and text[1:].isdigit() and int(text[1:]) in self.ids:
            return int(text[1:])
        facility = self.codes.get(normalise_credit_code(text))
        if facility is None:
            raise CellError(
                _(
                    "No facility has the reference or credit code “%(value)s”. Import your "
                    "facilities first, with this reference in their ref column."
                )
                % {"value": text}
            )
        return facility


def link_key(
    supplier: int | None, customer: int, kind: str, origin_country: str
) -> tuple[Any, ...]:
    """What makes a link the same link: the database allows one per key."""
    if supplier is None:
        return (None, customer, kind, origin_country)
    return (supplier, customer, kind)


def _resolve(references: _References, row: Row, column: str, errors: list[Error]) -> int | None:
    try:
        return references.resolve(row.values[column])
    except CellError as error:
        errors.append(error_at(row.number, column, error.message))
        return None


def _check_links(organisation: Organisation, rows: list[Row], errors: list[Error]) -> list[Row]:
    references = _References(organisation)
    valid: list[Row] = []
    keys: dict[tuple[Any, ...], int] = {}
    for row in rows:
        before = len(errors)
        values = row.values
        supplier = None
        if values["supplier"].casefold() not in UNKNOWN:
            supplier = _resolve(references, row, "supplier", errors)
        customer = _resolve(references, row, "customer", errors)
        if len(errors) > before or customer is None:
            continue
        values["supplier"], values["customer"] = supplier, customer
        key = link_key(supplier, customer, values["kind"], values.get("origin_country", ""))
        if first := _first_seen(keys, key, row.number):
            errors.append(
                error_at(
                    row.number, "customer", _("Row %(row)d has the same link.") % {"row": first}
                )
            )
            continue
        valid.append(row)
    _check_loops(organisation, valid, errors)
    return valid


def _check_loops(organisation: Organisation, rows: list[Row], errors: list[Error]) -> None:
    """A loop among the buyer's links and the file's is an error on the row that closes it: the
    last of the file's rows on the loop. That row is left out and the search repeated, so each
    loop is reported once."""
    existing = queries.all_edges(organisation)
    added = {row.number: row.values for row in rows if row.values["supplier"] is not None}
    rows_of: dict[tuple[int, int], list[int]] = defaultdict(list)
    for number, values in added.items():
        rows_of[(values["supplier"], values["customer"])].append(number)
    while loop := chain.find_cycle(
        [*existing, *(chain.Edge(v["supplier"], v["customer"], v["kind"]) for v in added.values())]
    ):
        on_loop = [n for pair in itertools.pairwise(loop) for n in rows_of[pair] if n in added]
        if not on_loop:
            break  # the buyer's own links loop: not this file's doing (link_create refuses it)
        closing = max(on_loop)
        # Told from this row's supplier on, so the loop reads from the link the row adds.
        start = loop.index(added.pop(closing)["supplier"])
        loop = [*loop[start:-1], *loop[:start], loop[start]]
        names = _names(loop)
        errors.append(
            error_at(
                closing,
                "supplier",
                _("This link closes a loop: %(loop)s.")
                % {"loop": " → ".join(names[pk] for pk in loop)},
            )
        )


def _names(ids: Iterable[int]) -> dict[int, str]:
    return {f.pk: str(f) for f in Facility.objects.filter(pk__in=set(ids))}


def _check_sourcing(organisation: Organisation, rows: list[Row], errors: list[Error]) -> list[Row]:
    references = _References(organisation)
    valid = []
    facilities: dict[int, int] = {}
    for row in rows:
        facility = _resolve(references, row, "supplier", errors)
        if facility is None:
            continue
        if first := _first_seen(facilities, facility, row.number):
            errors.append(
                error_at(
                    row.number,
                    "supplier",
                    _("Row %(row)d is about the same supplier.") % {"row": first},
                )
            )
            continue
        del row.values["supplier"]
        row.values["facility"] = facility
        valid.append(row)
    return valid
