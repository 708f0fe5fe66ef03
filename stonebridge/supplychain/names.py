"""Search keys for Chinese and Latin names: a facility is found by hanzi, pinyin with or without
tones and spaces, pinyin initials, or English.

`search_keys` builds the stored text, `query_key` turns what a user typed into a key that is
matched against it as a plain substring (so a database `LIKE '%key%'` is enough).
"""

import functools
import itertools
import re
import unicodedata

from pypinyin import lazy_pinyin
from pypinyin.constants import RE_HANS
from pypinyin.seg.mmseg import seg
from rapidfuzz import fuzz

# Units of Chinese company names that read better as separate words in display pinyin.
_LEGAL_FORM_PARTS = frozenset({"股份", "有限", "责任", "公司", "集团"})
_DIVISION_SUFFIXES = frozenset("省市县区镇乡村")
# Everything str.isalnum() rejects: spaces, punctuation, underscores, combining tone marks.
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")


@functools.cache  # asked of every character of every name: there are only so many characters
def _is_hanzi(character: str) -> bool:
    return RE_HANS.match(character) is not None


def query_key(query: str) -> str:
    """What the user typed, reduced to letters and digits: NFKC (full-width to half-width),
    case-folded, tone marks and other accents removed, spaces and punctuation removed.

    Hanzi stay hanzi. "Hǎi Chén", "hai-chen" and "HAICHEN" in full-width
    letters all give "haichen".
    """
    folded = unicodedata.normalize("NFKC", query).casefold()
    if folded.isascii():
        return _NOT_ALPHANUMERIC.sub("", folded)
    # Decomposing puts tone marks in separate combining characters, which are not alphanumeric.
    kept = _NOT_ALPHANUMERIC.sub("", unicodedata.normalize("NFD", folded))
    return unicodedata.normalize("NFC", kept)


@functools.lru_cache(maxsize=65536)
def _word_syllables(word: str) -> tuple[str, ...]:
    return tuple(lazy_pinyin(word))


def _syllables(text: str) -> list[str]:
    """lazy_pinyin(text), word by word with a cache: company names repeat their words (南安市,
    石材厂, 有限公司), and pypinyin is most of the cost of importing a long list."""
    result: list[str] = []
    for is_hanzi, group in itertools.groupby(text, _is_hanzi):
        run = "".join(group)
        if not is_hanzi:
            result.append(run)
            continue
        for word in seg.cut(run):
            result.extend(_word_syllables(word))
    return result


def _pinyin_keys(text: str) -> list[str]:
    """Toneless pinyin of the whole name without spaces (ü written both "v" and "u", as people
    type it either way; Latin parts kept), then the initials of the hanzi: 厦门海辰 → "xmhc".
    The same key may come twice (no "v"); search_keys keeps one.

    pypinyin is the cost of an import, so it is asked once per name.
    """
    if not any(_is_hanzi(c) for c in text):
        return []  # a Latin name is its own key
    syllables = _syllables(text)
    with_v = query_key("".join(syllables))
    # _syllables gives one syllable per hanzi (the hanzi itself where pypinyin knows none) and
    # one item per run of anything else.
    items = iter(syllables)
    initials: list[str] = []
    for is_hanzi, run in itertools.groupby(text, _is_hanzi):
        if is_hanzi:
            initials.extend(next(items)[:1] for _hanzi in run)
        else:
            next(items)
    return [with_v.replace("v", "u"), with_v, query_key("".join(initials))]


def search_keys(*names: str) -> str:
    """One case-folded text to search the names in, one line per name.

    Each line holds the name itself, the name without spaces or punctuation (and without tone
    marks), its toneless pinyin without spaces and its pinyin initials; for 厦门海辰:
    "厦门海辰 xiamenhaichen xmhc". Empty names are left out.
    """
    lines = []
    for name in names:
        compact = query_key(name)
        if not compact:
            continue
        itself = " ".join(unicodedata.normalize("NFKC", name).casefold().split())
        parts = [itself, compact, *_pinyin_keys(name)]
        lines.append(" ".join(dict.fromkeys(p for p in parts if p)))
    return "\n".join(lines)


def _split_word(word: str) -> list[str]:
    """A dictionary word, split where company names are conventionally split in pinyin."""
    pairs = [word[i : i + 2] for i in range(0, len(word), 2)]
    if all(p in _LEGAL_FORM_PARTS for p in pairs):
        return pairs  # 有限公司 → Youxian Gongsi; 公司 stays one pair
    if len(word) > 2 and word[-1] in _DIVISION_SUFFIXES:
        return [word[:-1], word[-1]]  # 福建省 → Fujian Sheng
    return [word]


def _group_single_characters(characters: list[str]) -> list[str]:
    """Characters the dictionary has no word for, grouped in twos (a common shape for brand
    names, 海辰 石业), three at the end if odd; division suffixes stand alone."""
    words: list[str] = []
    for is_suffix, group in itertools.groupby(characters, key=lambda c: c in _DIVISION_SUFFIXES):
        run = "".join(group)
        if is_suffix:
            words.extend(run)
        elif len(run) <= 3:
            words.append(run)
        else:
            cut = len(run) - 3 if len(run) % 2 else len(run)
            words.extend(run[i : i + 2] for i in range(0, cut, 2))
            if cut < len(run):
                words.append(run[cut:])
    return words


@functools.lru_cache(maxsize=65536)
def _hanzi_words(run: str) -> tuple[str, ...]:
    """Words of a run of hanzi. pypinyin's dictionary knows places and common words but not
    brand names, so this is a heuristic for display, not a real word segmentation."""
    words: list[str] = []
    singles: list[str] = []
    for token in seg.cut(run):
        if len(token) == 1:
            singles.append(token)
            continue
        words.extend(_group_single_characters(singles))
        singles = []
        words.extend(_split_word(token))
    words.extend(_group_single_characters(singles))
    return tuple(words)


@functools.lru_cache(maxsize=65536)
def _word_pinyin(word: str) -> str:
    syllables = lazy_pinyin(word, v_to_u=True)
    text = syllables[0]
    for syllable in syllables[1:]:
        # The apostrophe keeps syllables apart where they would run together: Xi'an, not Xian.
        text += ("'" if syllable[:1] in ("a", "o", "e") else "") + syllable
    return text[:1].upper() + text[1:]


def _needs_space(before: str, after: str) -> bool:
    return (before.isalnum() or before in ")]") and (after.isalnum() or after in "([")


def pinyin_of(name: str) -> str:
    """Display pinyin without tones, one capitalised word per word of the name; Latin parts
    are kept as they are. 厦门海辰石业有限公司 → "Xiamen Haichen Shiye Youxian Gongsi"."""
    text = unicodedata.normalize("NFKC", name)
    pieces: list[str] = []
    for is_hanzi, group in itertools.groupby(text, key=_is_hanzi):
        run = "".join(group)
        if is_hanzi:
            pieces.extend(_word_pinyin(w) for w in _hanzi_words(run))
        else:
            pieces.append(run)
    result = ""
    for piece in pieces:
        if result and piece and _needs_space(result[-1], piece[0]):
            result += " "
        result += piece
    return " ".join(result.split())


def comparable_words(name: str) -> str:
    """A name as its pinyin words without tones, case or punctuation (see `name_similarity`)."""
    return " ".join(k for k in (query_key(w) for w in pinyin_of(name).split()) if k)


def name_similarity(a: str, b: str) -> float:
    """How alike two names are, 0-100, whatever script each is written in.

    Both names are turned into pinyin words (hanzi via `pinyin_of`; Latin kept), stripped of
    tones, case and punctuation, and compared with rapidfuzz's token_set_ratio: the words both
    share count fully and word order does not matter, so 厦门海辰石业 and "Xiamen Haichen Stone"
    score high. One name whose words are all in the other scores 100, and a name with no
    letters or digits scores 0. Translated words ("Stone" for 石业) are not recognised.
    """
    return float(fuzz.token_set_ratio(comparable_words(a), comparable_words(b)))
