"""Who is a facility's own supplier: known to the apps that hold relationships with suppliers,
which register a check here when they start, so the map never imports them (DESIGN.md, rule 5).

A facility's own supplier may correct its record and is named when it does; another
organisation's change is shown to the buyers holding the facility as "another organisation",
because who buys from whom stays private."""

from collections.abc import Callable
from typing import Any

Check = Callable[[Any, Any], bool]
_CHECKS: list[Check] = []


def register(check: Check) -> None:
    """`check(organisation, facility)` is true when the organisation is the facility's own
    supplier."""
    if check not in _CHECKS:
        _CHECKS.append(check)


def is_own_supplier(organisation: Any, facility: Any) -> bool:
    return any(check(organisation, facility) for check in _CHECKS)
