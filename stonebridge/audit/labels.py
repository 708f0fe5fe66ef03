"""Readable names for what the log stores as keys: verbs, the fields a change names, and coded
values. Each app registers its own when it starts, so the log can say "Role changed: 只读成员 →
编辑" (not `role: viewer → editor`) without the audit app knowing any domain app.

A field of the entry's target model needs no registration: its verbose name and choices are
read from the model. Apps register what the model does not say: keys that are no field
(`accepted`, `raised`), codes kept in a text field (activities, red flags), and which of those
hold lists, so that a list of two is not read as an "old → new" pair.
"""

from collections.abc import Iterable, Mapping

from django.utils.functional import Promise

Label = Promise | str

_LABELS: dict[str, Label] = {}
_FIELDS: dict[str, Label] = {}
_VALUES: dict[str, Mapping[str, Label]] = {}
_LISTS: set[str] = set()
_FIELD_NAMES: set[str] = set()
# Verbs whose entries do not name the organisation behind a change when no person is named:
# the log shows "another organisation" (who buys from whom stays private).
_UNNAMED: set[str] = set()


def register(labels: dict[str, Label]) -> None:
    _LABELS.update(labels)


def label(verb: str) -> Label:
    return _LABELS.get(verb, verb)


def register_fields(
    fields: Mapping[str, Label],
    values: Mapping[str, Mapping[str, Label]] | None = None,
    lists: Iterable[str] = (),
    field_names: Iterable[str] = (),
) -> None:
    """Names of change keys that are no model field, labels of coded values by key, the keys
    whose value is a list, and those whose values name fields of the target (what staff changed
    in the admin)."""
    _FIELDS.update(fields)
    _VALUES.update(values or {})
    _LISTS.update(lists)
    _FIELD_NAMES.update(field_names)


def field_label(key: str) -> Label | None:
    return _FIELDS.get(key)


def value_label(key: str, value: str) -> Label | None:
    return _VALUES.get(key, {}).get(value)


def holds_a_list(key: str) -> bool:
    return key in _LISTS


def names_fields(key: str) -> bool:
    return key in _FIELD_NAMES


def register_unnamed(verbs: set[str]) -> None:
    _UNNAMED.update(verbs)


def unnamed(verb: str) -> bool:
    return verb in _UNNAMED
