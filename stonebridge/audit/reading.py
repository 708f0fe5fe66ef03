"""How an entry's changes read on a page: each key by its name, each value as a person writes
it. A field of the target model gives its verbose name and choices, an id of a related object
its current name (looked up for a whole page at once by `related_names`), a date the reader's
date format; `None` reads "—", true and false read yes and no, and text a person typed is set
apart (`display.isolate`) so that the page marks its language.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field, Model
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from stonebridge.display import isolate, readable

from . import labels

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
# (key, stored value as text) → the current name of the object it refers to
Related = dict[tuple[str, str], str]


def target_model(target_type: str) -> type[Model] | None:
    try:
        return apps.get_model(target_type)
    except (LookupError, ValueError):
        return None


def model_field(model: type[Model] | None, key: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def field_name(key: str, field: Any) -> str:
    """The field's translated verbose name; Django's own default for a field named without one
    ("facility") is plain English, so an app's registered name comes first."""
    named = labels.field_label(key) or getattr(field, "verbose_name", None)
    return str(named or key)


def is_change(key: str, value: object, field: Any) -> bool:
    """[old, new] as a service records an update; a list field's own value is a list too."""
    if not (isinstance(value, list) and len(value) == 2):
        return False
    listed = labels.holds_a_list(key) or bool(getattr(field, "many_to_many", False))
    return not listed or any(isinstance(item, list) for item in value)


def value_text(key: str, value: object, model: type[Model] | None, related: Related) -> str:
    if isinstance(value, str) and labels.holds_a_list(key):
        value = [code for code in value.split(",") if code]
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, dict):
        return "; ".join(_lines(model, value, {}, related))
    if isinstance(value, list):
        return pgettext("list separator", ", ").join(
            _one(key, item, model, related) for item in value
        )
    return _one(key, value, model, related)


def _one(key: str, value: object, model: type[Model] | None, related: Related) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    text = str(value)
    if labels.names_fields(key):
        return field_name(text, model_field(model, text))
    if (key, text) in related:
        return related[(key, text)]
    choices = dict(getattr(model_field(model, key), "flatchoices", None) or {})
    coded = labels.value_label(key, text) or choices.get(text)
    if coded:
        return str(coded)
    if ISO_DATE.match(text):
        return str(readable(date.fromisoformat(text)))
    if ISO_DATETIME.match(text):
        return str(readable(datetime.fromisoformat(text)))
    return isolate(text) if isinstance(value, str) else text


def _lines(
    model: type[Model] | None,
    changes: dict[str, Any],
    people: dict[int, str],
    related: Related,
) -> Iterable[str]:
    for name, text in _pairs(model, changes, people, related):
        yield pgettext("a change in the audit log", "%(field)s: %(value)s") % {
            "field": name,
            "value": text,
        }


def change_lines(
    target_type: str, changes: dict[str, Any], people: dict[int, str], related: Related
) -> list[tuple[str, str]]:
    return list(_pairs(target_model(target_type), changes, people, related))


def _pairs(
    model: type[Model] | None,
    changes: dict[str, Any],
    people: dict[int, str],
    related: Related,
) -> Iterable[tuple[str, str]]:
    for key, value in changes.items():
        field = model_field(model, key)
        if key == "person" and isinstance(value, int):
            text = people.get(value, f"#{value}")
        elif is_change(key, value, field):
            old, new = (value_text(key, item, model, related) for item in value)
            text = f"{old} → {new}"
        else:
            text = value_text(key, value, model, related)
        yield field_name(key, field), text


def related_names(entries: Iterable[Any]) -> Related:
    """The current names of the objects the changes refer to by id (or slug): one query for
    each kind of object, whatever the number of entries."""
    wanted: dict[type[Model], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for entry in entries:
        model = target_model(entry.target_type)
        for key, value in entry.changes.items():
            field = model_field(model, key)
            if isinstance(field, Field) and field.is_relation and field.related_model:
                for item in _flat(value):
                    wanted[field.related_model][key].add(str(item))  # type: ignore[index]
    named: Related = {}
    for model, keys in wanted.items():
        values = set().union(*keys.values())
        found = _by_pk_or_slug(model, values)
        for key, stored in keys.items():
            # Names people gave (a facility, an action): set apart so that the page marks them.
            named.update(
                {(key, value): isolate(found[value]) for value in stored if value in found}
            )
    return named


def _flat(value: object) -> Iterable[object]:
    if isinstance(value, list):
        for item in value:
            yield from _flat(item)
    elif value is not None and not isinstance(value, bool):
        yield value


def _by_pk_or_slug(model: type[Model], values: set[str]) -> dict[str, str]:
    """An id is stored as the key the model is found by: its primary key or, for an
    organisation, its slug."""
    pk = model._meta.pk
    numeric = pk is not None and pk.get_internal_type() in {"AutoField", "BigAutoField"}
    by_pk = {value for value in values if value.isdigit() or not numeric}
    found = {str(key): str(obj) for key, obj in model._default_manager.in_bulk(by_pk).items()}
    slugs = values - by_pk
    if slugs and model_field(model, "slug") is not None:
        found |= {
            str(key): str(obj)
            for key, obj in model._default_manager.in_bulk(slugs, field_name="slug").items()
        }
    return found
