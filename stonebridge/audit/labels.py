"""Readable names for audit verbs. Each app registers its own when it starts, so the log can
say "Role changed" (or 角色已更改) without the audit app knowing any domain app."""

from django.utils.functional import Promise

_LABELS: dict[str, Promise | str] = {}
# Verbs whose entries do not name the organisation behind a change when no person is named:
# the log shows "another organisation" (who buys from whom stays private).
_UNNAMED: set[str] = set()


def register(labels: dict[str, Promise | str]) -> None:
    _LABELS.update(labels)


def label(verb: str) -> Promise | str:
    return _LABELS.get(verb, verb)


def register_unnamed(verbs: set[str]) -> None:
    _UNNAMED.update(verbs)


def unnamed(verb: str) -> bool:
    return verb in _UNNAMED
