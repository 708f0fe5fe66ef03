"""The values StoneBridge ships with, each a StoneBridge default chosen by the team, not taken
from a source. A migration loads them into the table staff edit; `load` is also how tests that
empty the database put them back.

The pure rules keep the same numbers as their parameters' defaults (engagement/flags.py,
engagement/practices.py); a test keeps the two equal.
"""

from typing import Any

# key, unit, value, floor
SHIPPED: list[tuple[str, str, int, int | None]] = [
    ("grace_days", "days", 30, None),
    ("due_soon_days", "days", 3, None),
    ("short_lead_days", "days", 45, None),
    ("late_change_days", "days", 21, None),
    ("long_payment_days", "days", 60, None),
    ("below_cost_percent", "percent", 100, None),
    ("import_ask_score", "score", 50, None),
    # The smallest groups whose figures may be shown without singling people out (for the
    # covenant, DESIGN.md rule 2): they may be raised, never lowered.
    ("survey_min_answers", "answers", 5, 5),
    ("covenant_min_members", "members", 3, 3),
]


def load(default_model: Any) -> None:
    """Create the rows (the model given, so a migration can pass its own)."""
    default_model.objects.bulk_create(
        default_model(key=key, unit=unit, value=value, stonebridge_default=value, floor=floor)
        for key, unit, value, floor in SHIPPED
    )
