import copy

from django import template
from django.forms import BaseForm
from django.utils.translation import get_language

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
def ids_for(form: BaseForm, name: object) -> BaseForm:
    """The form with ids of its own (`id_<field>_<name>`), for a page that shows it once per
    measure or beside another form with a field of the same name: each label then names its
    own field, and each field its own help text and errors."""
    named = copy.copy(form)
    named.auto_id = f"id_%s_{name}"
    # Its fields are bound anew: those cached on the original carry the original's ids.
    named._bound_fields_cache = {}  # type: ignore[attr-defined]
    return named
