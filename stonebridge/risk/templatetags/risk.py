from typing import Any

from django import template

register = template.Library()


@register.filter
def percent(value: Any) -> str:
    """0.423 → "42 %", as the chain pages show shares."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.0f} %"
