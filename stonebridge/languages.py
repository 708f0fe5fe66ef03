"""Text a person wrote in English, Chinese or both, shown in the reader's language first.

Every text a buyer writes for a supplier has an English field (`title`, `text`, `description`,
`note`, as before) and a Chinese one beside it (`title_zh`, …). The reader's language comes
first and the other follows, each marked with its `lang`, so that a screen reader and the
browser's fonts treat it right; a text written in one language only says so, so that a supplier
never meets a silent English block. Serves every room, like `pages.py`; the template filters are
loaded with `{% load languages %}` (settings.TEMPLATES).
"""

import functools
import re
from typing import Any

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from pypinyin import lazy_pinyin

from stonebridge.supplychain.names import pinyin_of

register = template.Library()

# CJK Unified Ideographs with extension A, and the compatibility block: any one of them marks a
# text as (at least partly) Chinese.
HANZI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def has_chinese(text: str) -> bool:
    return bool(HANZI.search(text or ""))


def placed(english: str, chinese: str) -> tuple[str, str]:
    """The two fields with a Chinese text given as the English one moved to the Chinese field
    when that is empty: the rule the migration applied to existing text, kept for callers that
    still send one text under the old field name."""
    if has_chinese(english) and not chinese.strip():
        return "", english
    return english, chinese


# The administrative unit a place name ends with, left out of its pinyin: "福建省" is "Fujian"
# in English. Longest first, so that 自治区 is taken before 区.
ADMIN_UNITS = ("自治区", "自治州", "自治县", "省", "市", "区", "县", "镇")


@functools.lru_cache(maxsize=4096)  # a chain names few places, on every row of its lists
def place_pinyin(place: str) -> str:
    """ "南安市" → "Nan'an": the pinyin of a Chinese place name without its unit, capitalised,
    with the apostrophe that separates a syllable starting with a vowel. A name without hanzi
    is returned as written."""
    if not has_chinese(place):
        return place
    for unit in ADMIN_UNITS:
        # A one-character name keeps its unit: 沙县 is Shaxian, not Sha.
        if place.endswith(unit) and len(place) - len(unit) >= 2:
            place = place.removesuffix(unit)
            break
    syllables = lazy_pinyin(place)
    joined = syllables[0] + "".join(
        f"'{syllable}" if syllable[:1] in "aoe" else syllable for syllable in syllables[1:]
    )
    return joined.capitalize()


def reader_reads_chinese() -> bool:
    return (get_language() or "").lower().startswith("zh")


def in_reader_language(english: str, chinese: str) -> str:
    """One of the two texts as a plain string: the reader's language when it is there."""
    if reader_reads_chinese():
        return chinese or english
    return english or chinese


def _lang(text: str) -> str:
    return "zh-Hans" if has_chinese(text) else "en"


def _part(text: str, *, secondary: bool = False) -> SafeString:
    if secondary:
        return format_html(
            '<span lang="{}" class="muted">{}</span>', _lang(text), linebreaksbr(text)
        )
    return format_html('<span lang="{}">{}</span>', _lang(text), linebreaksbr(text))


def bilingual_html(english: str, chinese: str) -> SafeString:
    """Both texts, the reader's language first; a single text in the other language carries a
    small note saying who wrote it in which language."""
    english, chinese = english.strip(), chinese.strip()
    first, second = (chinese, english) if reader_reads_chinese() else (english, chinese)
    if first and second:
        return format_html("{} <br>{}", _part(first), _part(second, secondary=True))
    only = first or second
    if not only:
        return SafeString("")
    if has_chinese(only) == reader_reads_chinese():
        return _part(only)
    note = (
        _("written in Chinese by the buyer")
        if has_chinese(only)
        else _("written in English by the buyer")
    )
    return format_html('{} <small class="muted language-note">({})</small>', _part(only), note)


@register.filter
def bilingual(obj: Any, field: str) -> SafeString:
    """`{{ action|bilingual:"title" }}`: the object's English field and its `_zh` beside it."""
    return bilingual_html(
        str(getattr(obj, field, "") or ""), str(getattr(obj, f"{field}_zh", "") or "")
    )


def _field(obj: Any, name: str) -> str:
    """An attribute of a model or a key of a row from `.values()`, as text."""
    value = obj.get(name, "") if isinstance(obj, dict) else getattr(obj, name, "")
    return str(value or "")


def _with_pinyin(english: str, chinese: str) -> str:
    """The English name; for a name known only in hanzi, its pinyin for a reader who does not
    read Chinese, so that the name can be said and matched with the hanzi beside it."""
    if english or reader_reads_chinese() or not has_chinese(chinese):
        return english
    return _pinyin(chinese)


# Names repeat from page to page (a chain's graph, its table, the registry): each is read once.
_pinyin = functools.lru_cache(maxsize=4096)(pinyin_of)


# How much of a long text a list shows (StoneBridge default); its page shows all of it.
BRIEF = 120


@register.filter
def bilingual_brief(obj: Any, field: str) -> SafeString:
    """`{{ request|bilingual_brief:"text" }}`: `bilingual`, each text cut to its first words,
    for a list that links to the whole."""
    english, chinese = (
        Truncator(str(getattr(obj, name, "") or "")).chars(BRIEF) for name in (field, f"{field}_zh")
    )
    return bilingual_html(english, chinese)


def name_pair(english: str, chinese: str) -> str:
    """A name in the reader's script first and the other in brackets: "海晨石业 (Haichen
    Stone)" to a Chinese reader, "Haichen Stone (海晨石业)" to others, and "Haichen Shiye
    (海晨石业)" to them for a name known only in hanzi."""
    english = _with_pinyin(english, chinese)
    first, second = (chinese, english) if reader_reads_chinese() else (english, chinese)
    if first and second:
        return f"{first} ({second})"
    return first or second


@register.filter
def names(obj: Any) -> SafeString:
    """`{{ facility|names }}`: a name in the reader's script and, smaller, the other one, each
    marked with its language (facilities keep `name_en` and `name_zh`; a row of their
    `.values()` does too). A name known only in hanzi reads in pinyin first for a
    reader who does not read Chinese."""
    english, chinese = _field(obj, "name_en"), _field(obj, "name_zh")
    pinyin = _with_pinyin(english, chinese) if not english else ""
    if pinyin:
        return format_html(
            '<span lang="zh-Latn-pinyin">{}</span> <small lang="zh-Hans" class="muted">{}</small>',
            pinyin,
            chinese,
        )
    first, second = (chinese, english) if reader_reads_chinese() else (english, chinese)
    if not (first and second):
        return _part(first or second)
    return format_html(
        '{} <small lang="{}" class="muted">{}</small>', _part(first), _lang(second), second
    )


@register.filter
def place_names(facility: Any) -> SafeString:
    """`{{ facility|place_names }}`: province, city and district as written (in hanzi) for a
    Chinese reader; in pinyin with the hanzi beside it for others, so that an English reader can
    say the name and still match it with a Chinese document. The country when none is known."""
    parts = [_field(facility, name) for name in ("province", "city", "district")]
    written = " ".join(part for part in parts if part)
    if not written:
        return format_html("{}", _field(facility, "country"))
    if reader_reads_chinese() or not has_chinese(written):
        return _part(written)
    pinyin = " ".join(place_pinyin(part) for part in parts if part)
    return format_html(
        '<span lang="zh-Latn-pinyin">{}</span> <small lang="zh-Hans" class="muted">{}</small>',
        pinyin,
        written,
    )
