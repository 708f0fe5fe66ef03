"""XLSForm `relevant` conditions: parsed into a small tree and evaluated against answers.

StoneBridge reads the part of the XPath language that questionnaires actually use, and nothing
more, so that a condition means the same here as in ODK or KoboToolbox:

    ${q} = 'v'    ${q} != 'v'    selected(${q}, 'v')
    ${n} < 5      ${n} <= 5      ${n} > 5      ${n} >= 5      ${n} = 5      ${n} != 5
    ... and ...   ... or ...     ( ... )

`and` binds tighter than `or`, as in XPath. Anything else (functions, arithmetic, `not()`) is
refused with a message saying where, rather than read some other way. Pure: no database.

As in ODK, an unanswered question is the empty string: `${q} = 'v'` is false and `${q} != 'v'`
true; a comparison of numbers with an empty or non-numeric answer is false.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

OPERATORS = ("<=", ">=", "!=", "=", "<", ">")
KIND_NAMES = {"close": "“)”", "open": "“(”", "comma": "“,”", "reference": "${…}", "string": "'…'"}


class ConditionError(ValueError):
    """A condition StoneBridge cannot read; the message says what and where."""


@dataclass(frozen=True)
class Reference:
    name: str


@dataclass(frozen=True)
class Literal:
    value: str | Decimal


@dataclass(frozen=True)
class Compare:
    left: Reference | Literal
    operator: str
    right: Reference | Literal


@dataclass(frozen=True)
class Selected:
    name: str
    value: str


@dataclass(frozen=True)
class AllOf:
    parts: tuple["Condition", ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple["Condition", ...]


Condition = Compare | Selected | AllOf | AnyOf

TOKEN = re.compile(
    r"""\s*(?:
        (?P<reference>\$\{(?P<name>[A-Za-z_][A-Za-z0-9_.\-]*)\})
      | (?P<string>'[^']*'|"[^"]*")
      | (?P<number>-?\d+(?:\.\d+)?)
      | (?P<operator><=|>=|!=|=|<|>)
      | (?P<open>\()
      | (?P<close>\))
      | (?P<comma>,)
      | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*)
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    position: int


def tokens(text: str) -> list[Token]:
    found: list[Token] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = TOKEN.match(text, position)
        if match is None or match.end() == position:
            start = len(text) - len(text[position:].lstrip())
            raise ConditionError(
                _("cannot read “%(text)s” at %(at)s") % {"text": text[start:][:20], "at": start + 1}
            )
        kind = match.lastgroup or ""
        if kind == "name":
            kind = "reference"
        start = match.start(kind)
        found.append(Token(kind, match.group(kind), start))
        position = match.end()
    return found


class Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokens(text)
        self.index = 0

    def peek(self) -> Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self, kind: str, text: str | None = None) -> Token:
        token = self.peek()
        if token is None or token.kind != kind or (text is not None and token.text != text):
            expected = f"“{text}”" if text else KIND_NAMES.get(kind, kind)
            raise ConditionError(
                _("expected %(what)s %(where)s") % {"what": expected, "where": self.where(token)}
            )
        self.index += 1
        return token

    def where(self, token: Token | None) -> str:
        if token is None:
            return _("at the end")
        return _("at %(at)s (“%(text)s”)") % {"at": token.position + 1, "text": token.text}

    def parse(self) -> Condition:
        if not self.tokens:
            raise ConditionError(_("the condition is empty"))
        condition = self.disjunction()
        token = self.peek()
        if token is not None:
            raise ConditionError(
                _("unexpected “%(text)s” at %(at)s")
                % {"text": token.text, "at": token.position + 1}
            )
        return condition

    def disjunction(self) -> Condition:
        parts = [self.conjunction()]
        while self.is_word("or"):
            self.index += 1
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else AnyOf(tuple(parts))

    def conjunction(self) -> Condition:
        parts = [self.atom()]
        while self.is_word("and"):
            self.index += 1
            parts.append(self.atom())
        return parts[0] if len(parts) == 1 else AllOf(tuple(parts))

    def is_word(self, word: str) -> bool:
        token = self.peek()
        return token is not None and token.kind == "word" and token.text == word

    def atom(self) -> Condition:
        token = self.peek()
        if token is None:
            raise ConditionError(_("the condition ends too early"))
        if token.kind == "open":
            self.index += 1
            inner = self.disjunction()
            self.take("close")
            return inner
        if token.kind == "word":
            if token.text != "selected":
                raise ConditionError(
                    _("“%(word)s” at %(at)s is not supported: use selected(), comparisons, and, or")
                    % {"word": token.text, "at": token.position + 1}
                )
            self.index += 1
            self.take("open")
            name = self.take("reference").text
            self.take("comma")
            value = self.take("string").text[1:-1]
            self.take("close")
            return Selected(reference_name(name), value)
        left = self.operand()
        operator = self.peek()
        if operator is None or operator.kind != "operator":
            raise ConditionError(
                _("expected a comparison %(where)s") % {"where": self.where(operator)}
            )
        self.index += 1
        right = self.operand()
        if isinstance(left, Literal) and isinstance(right, Literal):
            raise ConditionError(
                _("compare an answer, not two values, at %(at)s") % {"at": token.position + 1}
            )
        return Compare(left, operator.text, right)

    def operand(self) -> Reference | Literal:
        token = self.peek()
        if token is None:
            raise ConditionError(_("the condition ends too early"))
        self.index += 1
        if token.kind == "reference":
            return Reference(reference_name(token.text))
        if token.kind == "string":
            return Literal(token.text[1:-1])
        if token.kind == "number":
            return Literal(Decimal(token.text))
        raise ConditionError(
            _("expected an answer or a value %(where)s") % {"where": self.where(token)}
        )


def reference_name(text: str) -> str:
    return text[2:-1]


def parse(text: str) -> Condition:
    """The condition's tree; ConditionError if StoneBridge cannot read it."""
    return Parser(text).parse()


def references(condition: Condition) -> set[str]:
    """The questions a condition reads."""
    if isinstance(condition, Selected):
        return {condition.name}
    if isinstance(condition, Compare):
        return {
            side.name for side in (condition.left, condition.right) if isinstance(side, Reference)
        }
    return set().union(*(references(part) for part in condition.parts))


def as_text(value: Any) -> str:
    """An answer as XLSForm sees it: a multiple choice is its names separated by spaces."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return str(value)


def as_number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None


def compare(left: Any, operator: str, right: Any) -> bool:
    if operator in ("=", "!="):
        if isinstance(left, Decimal) or isinstance(right, Decimal):
            a, b = as_number(left), as_number(right)
            equal = a is not None and b is not None and a == b
        else:
            equal = as_text(left) == as_text(right)
        return equal if operator == "=" else not equal
    a, b = as_number(left), as_number(right)
    if a is None or b is None:
        # Dates in ISO form compare as text, as XPath compares them once converted.
        if isinstance(left, Decimal) or isinstance(right, Decimal):
            return False
        x, y = as_text(left), as_text(right)
        if not x or not y:
            return False
        a_text, b_text = x, y
        return {
            "<": a_text < b_text,
            "<=": a_text <= b_text,
            ">": a_text > b_text,
            ">=": a_text >= b_text,
        }[operator]
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[operator]


def evaluate(condition: Condition, answers: Mapping[str, Any]) -> bool:
    """Whether the condition holds for these answers (question name → value)."""
    if isinstance(condition, AllOf):
        return all(evaluate(part, answers) for part in condition.parts)
    if isinstance(condition, AnyOf):
        return any(evaluate(part, answers) for part in condition.parts)
    if isinstance(condition, Selected):
        value = answers.get(condition.name)
        if isinstance(value, list | tuple):
            return condition.value in value
        return condition.value in as_text(value).split()

    def side(operand: Reference | Literal) -> Any:
        if isinstance(operand, Reference):
            return answers.get(operand.name)
        return operand.value

    return compare(side(condition.left), condition.operator, side(condition.right))


def holds(text: str, answers: Mapping[str, Any]) -> bool:
    """An empty condition always holds."""
    return True if not text.strip() else evaluate(parse(text), answers)


def visible(questions: Iterable[tuple[str, str]], answers: Mapping[str, Any]) -> set[str]:
    """Which questions are shown, given in form order as (name, condition): a hidden question's
    answer counts as unanswered for the conditions after it, as ODK drops it."""
    shown: set[str] = set()
    seen: dict[str, Any] = {}
    for name, condition in questions:
        if holds(condition, seen):
            shown.add(name)
            if name in answers:
                seen[name] = answers[name]
    return shown
