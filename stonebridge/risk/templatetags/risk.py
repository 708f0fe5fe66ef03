from typing import Any

from django import template

register = template.Library()


@register.filter
def percent(value: Any) -> str:
    """0.423 → "42 %", as the chain pages show shares."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.0f} %"


@register.filter
def heatmap_table(heatmap: dict[str, Any]) -> list[tuple[str, list[tuple[float, int] | None]]]:
    """The heatmap's cells as rows of a table: one row per issue, one cell (highest priority,
    facilities) per tier or cluster, None where the chain has nothing."""
    cells = {(issue, row): (top, count) for issue, row, top, count in heatmap["cells"]}
    columns = range(len(heatmap["rows"]))
    return [
        (name, [cells.get((issue, row)) for row in columns])
        for issue, name in enumerate(heatmap["issues"])
    ]
