"""Assessments sits above the rooms it brings evidence to: it imports accounts, supplychain, risk
and engagement, and none of them imports it. Its pages reach the supplier's workspace and the home
pages through `accounts/cards.py`, its evidence the risk engine through `risk.services`
(README, Architecture)."""

from pathlib import Path

from django.conf import settings

from ..audit.test_dependencies import imported_modules

PACKAGE = Path(settings.BASE_DIR) / "stonebridge"
BELOW = ("accounts", "audit", "defaults", "supplychain", "risk", "engagement", "notifications")


def test_no_room_below_assessments_imports_it():
    modules = [path for room in BELOW for path in sorted((PACKAGE / room).rglob("*.py"))]
    assert len(modules) > 100
    offending = {
        str(path.relative_to(PACKAGE)): sorted(
            m for m in imported_modules(path) if m.startswith("stonebridge.assessments")
        )
        for path in modules
    }
    assert {path: names for path, names in offending.items() if names} == {}
