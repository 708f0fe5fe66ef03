"""Writing many new rows as plainly as the database allows: PostgreSQL's COPY, or one
executemany elsewhere, instead of bulk_create's statement built field by field for every row
(imports and the figures a buyer's list states). The values are prepared by each field
(get_db_prep_save), as bulk_create prepares them, but for those the field would write unchanged;
the instances carry their defaults already, and no signal is sent (as with bulk_create)."""

from collections.abc import Sequence

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

_INTEGERS = (
    models.AutoField,
    models.BigAutoField,
    models.IntegerField,
    models.BigIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SmallIntegerField,
)
# The Python types each kind of field writes as they are: get_db_prep_save returns such a value
# itself. Checking a value's type costs far less than preparing it, and an import writes millions.
_UNCHANGED: dict[type[models.Field], tuple[type, ...]] = {
    models.CharField: (str,),
    models.TextField: (str,),
    models.BooleanField: (bool,),
    models.DecimalField: (),
    **dict.fromkeys(_INTEGERS, (int,)),
}


def _columns(model: type[models.Model], with_pk: bool) -> list[models.Field]:
    return [field for field in model._meta.concrete_fields if with_pk or not field.primary_key]


def _unchanged(field: models.Field) -> tuple[type, ...]:
    """The types of value the field writes as they are (the exact field classes only: a subclass
    may prepare its values)."""
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    kinds = _UNCHANGED.get(type(target))
    return () if kinds is None else (type(None), *kinds)


def _values(objects: Sequence[models.Model], fields: list[models.Field]) -> list[tuple]:
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself: the proxy looks it up per use
    columns = [(field.attname, _unchanged(field), field.get_db_prep_save) for field in fields]
    rows = []
    for obj in objects:
        row = []
        for attname, unchanged, prepare in columns:
            value = getattr(obj, attname)
            row.append(value if type(value) in unchanged else prepare(value, db))
        rows.append(tuple(row))
    return rows


def reserve_ids(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Give new instances their ids beforehand, so they can be inserted and referred to without
    the database returning them. Call inside the transaction that inserts them."""
    if not objects:
        return
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, len(objects)],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
        else:
            # SQLite: past the highest id ever given (sqlite_sequence remembers deleted ones, so
            # an undone import's ids are not given again). The transaction began IMMEDIATE
            # (settings), so no other writer can take these ids before the insert.
            quoted = connection.ops.quote_name(table)
            cursor.execute(
                f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0),"  # noqa: S608 - the model's table
                f" coalesce((SELECT max({connection.ops.quote_name(column)}) FROM {quoted}), 0))",
                [table],
            )
            first = cursor.fetchone()[0] + 1
            ids = list(range(first, first + len(objects)))
    for obj, pk in zip(objects, ids, strict=True):
        obj.pk = pk


def insert(
    model: type[models.Model], objects: Sequence[models.Model], *, ignore_conflicts: bool = False
) -> None:
    """Insert the instances. Their ids are not read back: give them beforehand (reserve_ids)
    where they are needed. With ignore_conflicts, a row that breaks a unique constraint is left
    out, as bulk_create(ignore_conflicts=True) leaves it."""
    if not objects:
        return
    with_pk = objects[0].pk is not None
    fields = _columns(model, with_pk)
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    rows = _values(objects, fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not ignore_conflicts:
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(fields))
        conflicts = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({marks}){conflicts}",  # noqa: S608 - names from the model
            rows,
        )
