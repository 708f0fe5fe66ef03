from django import template
from django.utils.translation import get_language

from ..indicators import UNIT_LABELS
from ..models import Escalation

register = template.Library()


@register.filter
def local_title(obj: object) -> str:
    """The Chinese title to a Chinese reader when there is one; the English one otherwise."""
    chinese = getattr(obj, "title_zh", "")
    if chinese and (get_language() or "").startswith("zh"):
        return str(chinese)
    return str(getattr(obj, "title", obj))


@register.filter
def get_item(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key, key)


@register.filter
def step_label(step: str) -> str:
    return str(Escalation.Step(step).label)


@register.filter
def split_codes(packed: str) -> list[str]:
    return [code for code in packed.split(",") if code]


@register.filter
def unit_label(unit: str) -> str:
    """A measure's unit as the reader writes it."""
    return str(UNIT_LABELS.get(unit, unit))
