"""How values read wherever a person reads them: on a page, in a notice, in an e-mail.

- `readable`: a date in the reader's format ("30 Nov 2026", "2026年11月30日", see `formats/`),
  a number without a fraction of zeros ("52", not "52.00"), for texts filled in Python;
- the template filters `number` (the same for numbers) and `written` (text a person wrote,
  marked with the language it is written in, so that a screen reader reads English as English
  in a Chinese page, and a scan for untranslated words can tell it from the interface's own),
  and `notice` (the same for the people's words inside a stored notice); the widgets
  `WrittenSelect` and `WrittenCheckboxes` do the same for choices people named (actions, codes);
- `isolate`: a person's text set apart inside a longer notice by Unicode's isolate marks, which
  keep its direction and let `notice` find them again in the stored notice; `plain` takes them
  out for a plain-text e-mail.

- punctuation the reader's language writes, around values a template puts together:
  `{% colon %}` after a label ("原因：" in Chinese), `{% comma %}` between two parts, the filter
  `listing` for a list ("抛光、锯切") and `bracketed` for a value in brackets ("（2026年3月20日）").

Loaded as a template builtin: every template has the filters and tags without `{% load %}`.
"""

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import forms, template
from django.utils import formats, timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext

register = template.Library()

FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"
ISOLATED = re.compile(f"{FIRST_STRONG_ISOLATE}(.*?){POP_DIRECTIONAL_ISOLATE}", re.DOTALL)
HANZI = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
LATIN = re.compile("[A-Za-z]")
TAG = re.compile("<[^>]*>")
LATIN_RUN = re.compile("[A-Za-z](?:[A-Za-z0-9'\u2019.,&/ \\-]*[A-Za-z0-9.])?")


@register.filter
def number(value: object) -> object:
    """52.00 → 52; 38.50 stays 38.50, as a price is written. Anything else as it is."""
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value


def readable(value: object) -> object:
    """A value as the active language writes it, to fill a translated text in Python."""
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    return number(value)


def language_of(text: str) -> str:
    """zh-Hans for text with hanzi, en for other text in Latin letters, "" for the rest."""
    if HANZI.search(text):
        return "zh-Hans"
    return "en" if LATIN.search(text) else ""


def main_language(text: str) -> str:
    """The language most of a text is in: an option of a list can name only one."""
    latin_words = len(re.findall("[A-Za-z]+", text))
    return "en" if latin_words > len(HANZI.findall(text)) else language_of(text)


def isolate(text: str) -> str:
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"


@register.filter
def plain(text: str) -> str:
    """A notice without its isolate marks, for a plain-text e-mail: nothing there reads them, and
    a copied name should not carry invisible characters."""
    return text.replace(FIRST_STRONG_ISOLATE, "").replace(POP_DIRECTIONAL_ISOLATE, "")


def _marked(text: SafeString) -> SafeString:
    language = language_of(TAG.sub("", text))
    return format_html('<span lang="{}">{}</span>', language, text) if language else text


def _runs(text: str) -> SafeString:
    """Plain text mixing hanzi and Latin letters ("南安市水头鑫源石材厂 (Nan'an Shuitou …)"):
    Chinese, with each run of Latin words marked as such."""
    parts, last = [], 0
    for run in LATIN_RUN.finditer(text):
        parts += [conditional_escape(text[last : run.start()]), _marked(conditional_escape(run[0]))]
        last = run.end()
    parts.append(conditional_escape(text[last:]))
    return format_html('<span lang="zh-Hans">{}</span>', mark_safe("".join(parts)))  # noqa: S308


def _escaper(value: object) -> Callable[[str], SafeString]:
    """Escape text as it is; keep what an earlier filter (`linebreaksbr`) already made safe."""
    if isinstance(value, SafeString):
        return mark_safe  # escaped by the filter that made it safe
    return conditional_escape


@register.filter(is_safe=True)
def written(value: object) -> SafeString:
    """Text a person wrote, in a span naming its language."""
    if value is None:
        return mark_safe("")
    text = str(value)
    if not isinstance(value, SafeString) and HANZI.search(text) and LATIN.search(text):
        return _runs(text)
    return _marked(_escaper(value)(text))


@register.filter(is_safe=True)
def notice(value: object) -> SafeString:
    """A stored notice: its own words as they are, each person's words in it (set apart by
    `isolate`) in a span naming their language. Takes text as it is or as an earlier filter
    (`linebreaksbr`) made it safe."""
    safe = isinstance(value, SafeString)

    def own_words(part: str) -> SafeString:
        return mark_safe(part) if safe else conditional_escape(part)  # noqa: S308 - escaped

    def persons_words(part: str) -> SafeString:
        return written(mark_safe(part) if safe else part)  # noqa: S308 - escaped before

    # split() alternates: the notice's own words, a person's words, the notice's own words, …
    parts = ISOLATED.split(str(value))
    return mark_safe(  # noqa: S308 - every part is escaped
        "".join(
            persons_words(part) if index % 2 else own_words(part)
            for index, part in enumerate(parts)
        )
    )


class WrittenOptions:
    """Choices named by people, each marked with its language: a `lang` on each <option>, a span
    around each checkbox's label (an <option> holds text only)."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)  # type: ignore[misc]
        language = main_language(str(option["label"]))
        if not language:
            return option
        if getattr(self, "input_type", None) in ("checkbox", "radio"):
            option["label"] = _marked(conditional_escape(str(option["label"])))
        else:
            option["attrs"] = {**option["attrs"], "lang": language}
        return option


class WrittenSelect(WrittenOptions, forms.Select):
    pass


class WrittenCheckboxes(WrittenOptions, forms.CheckboxSelectMultiple):
    pass


@register.simple_tag
def colon() -> str:
    return pgettext("after a label", ": ")


@register.simple_tag
def comma() -> str:
    return pgettext("between two parts", ", ")


@register.filter
def listing(items: Any) -> str:
    return pgettext("list separator", ", ").join(str(item) for item in items)


@register.filter
def bracketed(value: object) -> str:
    return pgettext("in brackets", "(%(text)s)") % {"text": readable(value)}
