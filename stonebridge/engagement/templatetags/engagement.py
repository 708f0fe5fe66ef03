from django import template

from stonebridge.languages import in_reader_language

from ..models import Escalation

register = template.Library()


@register.filter
def local_title(obj: object) -> str:
    """The title in the reader's language when there is one; the other one otherwise."""
    return in_reader_language(str(getattr(obj, "title", obj)), str(getattr(obj, "title_zh", "")))


@register.filter
def get_item(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key, key)


@register.filter
def step_label(step: str) -> str:
    return str(Escalation.Step(step).label)


@register.filter
def split_codes(packed: str) -> list[str]:
    return [code for code in packed.split(",") if code]
