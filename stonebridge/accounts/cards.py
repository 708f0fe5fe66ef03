"""The cards on an organisation's home page. Each app with something to summarise registers a
card here when it starts, so accounts imports none of them (README, Architecture)."""

from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string

from .models import Membership

# For a membership: the card's template and context, or None when it has nothing to show.
Card = Callable[[Membership], tuple[str, dict[str, Any]] | None]
_CARDS: list[Card] = []


def register(card: Card) -> None:
    if card not in _CARDS:
        _CARDS.append(card)


def shown(membership: Membership) -> list[str]:
    """The registered cards that apply, rendered in the order the apps started."""
    shown: list[str] = []
    for card in _CARDS:
        found = card(membership)
        if found is not None:
            template, context = found
            org = {"organisation": membership.organisation, "membership": membership}
            shown.append(render_to_string(template, {**org, **context}))
    return shown
