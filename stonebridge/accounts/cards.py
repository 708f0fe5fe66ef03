"""The cards on an organisation's home page, and on a supplier's workspace. Each app with
something to summarise registers a card here when it starts, so accounts imports none of them
(README, Architecture)."""

from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string

from .models import Membership

# For a membership: the card's template and context, or None when it has nothing to show.
Card = Callable[[Membership], tuple[str, dict[str, Any]] | None]
_CARDS: list[Card] = []
# What a supplier has to do that lives outside engagement (questionnaires, findings), at the top
# of its workspace, where it lands.
_WORKSPACE_CARDS: list[Card] = []


def register(card: Card, *, workspace: bool = False, first: bool = False) -> None:
    """`first` puts the card before the others (the buyer's dashboard, which answers where it
    stands before the details)."""
    cards = _WORKSPACE_CARDS if workspace else _CARDS
    if card not in cards:
        if first:
            cards.insert(0, card)
        else:
            cards.append(card)


def shown(membership: Membership, *, workspace: bool = False) -> list[str]:
    """The registered cards that apply, rendered in the order the apps started (a card
    registered `first` before them)."""
    shown: list[str] = []
    for card in _WORKSPACE_CARDS if workspace else _CARDS:
        found = card(membership)
        if found is not None:
            template, context = found
            org = {"organisation": membership.organisation, "membership": membership}
            shown.append(render_to_string(template, {**org, **context}))
    return shown
