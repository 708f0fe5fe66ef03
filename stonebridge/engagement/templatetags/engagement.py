import copy

from django import template
from django.forms import BaseForm

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
