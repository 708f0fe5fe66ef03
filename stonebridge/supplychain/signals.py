"""What the map tells apps that depend on it, without knowing them (DESIGN.md, rule 5)."""

from django.dispatch import Signal

# A buyer's tiers were rebuilt: its links or direct sourcing changed. Sent with `organisation`.
chain_changed = Signal()
# Facilities' registry records changed (an edit, or an import filling in blanks). Sent with
# `facility_ids`.
facility_changed = Signal()
