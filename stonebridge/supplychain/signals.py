"""What the map tells apps that depend on it, without knowing them (DESIGN.md, rule 5)."""

from django.dispatch import Signal

# A buyer's tiers were rebuilt: its links or direct sourcing changed. Sent with `organisation`.
chain_changed = Signal()
# Facilities' registry records changed (an edit, or an import filling in blanks). Sent with
# `facility_ids`.
facility_changed = Signal()
# An organisation stated who works at facilities (workers, migrant, dispatched and intern
# shares) while creating or editing them or importing its list. These figures feed risk scores,
# so they are that organisation's own statement, never the shared record's: the app that scores
# them keeps them. Sent with `organisation`, `by` and `figures` (facility id to a dict of field
# name to value).
workforce_stated = Signal()
