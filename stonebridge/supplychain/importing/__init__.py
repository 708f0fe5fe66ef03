"""Importing a buyer's supplier lists: facilities, links and sourcing, all or nothing.

An upload is read (tabular.read_table), every row is checked (validation), facility rows are
matched to the shared registry (matching), and only a file without errors is written, in one
transaction (writing). Rows whose match is uncertain wait for a person to decide
(`import_decide`); the answer is remembered, so the next upload of the same list does not ask
again. The cells are read by `values`; the columns of each list and the templates are `columns`;
what each row did is kept, so an import can be undone (`undo`).
"""

from .columns import OSHUB_COLUMNS, SPECS, STONEBRIDGE, template, template_columns
from .jobs import (
    MAX_STORED_ERRORS,
    Checked,
    check,
    import_decide,
    import_run,
    import_start,
    purge_uploads,
)
from .undo import can_undo, import_undo, undo_blockers
from .validation import validate

__all__ = [
    "MAX_STORED_ERRORS",
    "OSHUB_COLUMNS",
    "SPECS",
    "STONEBRIDGE",
    "Checked",
    "can_undo",
    "check",
    "import_decide",
    "import_run",
    "import_start",
    "import_undo",
    "purge_uploads",
    "template",
    "template_columns",
    "undo_blockers",
    "validate",
]
