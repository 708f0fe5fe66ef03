"""Readable names for audit verbs. Each app registers its own when it starts, so the log can
say "Role changed" (or 角色已更改) without the audit app knowing any domain app."""

from django.utils.functional import Promise

_LABELS: dict[str, Promise | str] = {}


def register(labels: dict[str, Promise | str]) -> None:
    _LABELS.update(labels)


def label(verb: str) -> Promise | str:
    return _LABELS.get(verb, verb)
