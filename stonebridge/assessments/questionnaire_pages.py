"""What the questionnaire pages show, computed once for buyer and supplier alike: the questions in
order with the answers given, which ones the conditions show, and the same conditions as small
trees for the page's script (`static/assessments/conditions.js`), so a question appears as the
supplier answers."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from stonebridge.display import readable

from . import conditions
from .models.questionnaires import Answer, Question, QuestionKind, Section, Submission, Version

Tree = dict[str, Any] | None


def condition_tree(condition: conditions.Condition | None) -> Tree:
    """A parsed condition as JSON the page's script evaluates (None: always shown)."""
    if condition is None:
        return None
    if isinstance(condition, conditions.AllOf):
        return {"all": [condition_tree(part) for part in condition.parts]}
    if isinstance(condition, conditions.AnyOf):
        return {"any": [condition_tree(part) for part in condition.parts]}
    if isinstance(condition, conditions.Selected):
        return {"selected": [condition.name, condition.value]}

    def operand(side: conditions.Reference | conditions.Literal) -> dict[str, Any]:
        if isinstance(side, conditions.Reference):
            return {"q": side.name}
        if isinstance(side.value, Decimal):
            return {"v": str(side.value), "n": True}
        return {"v": side.value}

    return {
        "left": operand(condition.left),
        "op": condition.operator,
        "right": operand(condition.right),
    }


def combined(section: Section, question: Question) -> str:
    """A question shows when its section's condition and its own both hold."""
    parts = [f"({text})" for text in (section.relevant, question.relevant) if text.strip()]
    return " and ".join(parts)


@dataclass
class Item:
    """One question with its answer, as a page shows it."""

    question: Question
    answer: Answer | None
    shown: bool
    adverse: bool = False
    follow_ups: list[Any] = field(default_factory=list)
    # The form field it is answered in, on the supplier's page.
    field: Any = None

    @property
    def value(self) -> Any:
        return self.answer.value if self.answer else None

    @property
    def answered(self) -> bool:
        return self.value not in (None, "", []) or bool(self.answer and self.answer.files.all())

    @property
    def shown_value(self) -> str:
        """The answer as the reader reads it: a choice by its label."""
        value = self.value
        if value in (None, "", []):
            return ""
        if self.question.has_choices:
            labels = {c.name: c.label for c in self.question.choices.all()}
            names = value if isinstance(value, list) else [value]
            return pgettext("list separator", ", ").join(labels.get(str(n), str(n)) for n in names)
        if self.question.kind == QuestionKind.DATE:
            try:
                return str(readable(date.fromisoformat(str(value))))
            except ValueError:
                return str(value)
        if self.question.kind in (QuestionKind.INTEGER, QuestionKind.DECIMAL):
            try:
                return str(readable(Decimal(str(value))))
            except ArithmeticError:
                return str(value)
        return str(value)


def is_adverse(question: Question, value: Any) -> bool:
    """An answer that points to a problem: an adverse choice, or `adverse_when` holding."""
    if value in (None, "", []):
        return False
    if question.has_choices:
        names = set(value if isinstance(value, list) else [value])
        return any(c.adverse and c.name in names for c in question.choices.all())
    if question.adverse_when.strip():
        return conditions.holds(question.adverse_when, {question.name: value})
    return False


def answers_of(submission: Submission) -> dict[str, Answer]:
    return {
        a.question.name: a
        for a in submission.answers.select_related("question").prefetch_related("files")
    }


def items(version: Version, answers: dict[str, Answer]) -> list[Item]:
    """Every question of the version in order, with its answer and whether it is shown."""
    questions = list(version.ordered_questions())
    values = {name: answer.value for name, answer in answers.items()}
    shown = conditions.visible([(q.name, combined(q.section, q)) for q in questions], values)
    return [
        Item(
            question=q,
            answer=answers.get(q.name),
            shown=q.name in shown,
            adverse=is_adverse(q, values.get(q.name)),
        )
        for q in questions
    ]


def plan_for(version: Version, here: list[str]) -> dict[str, Any]:
    """What the page's script needs: every question's condition in order, and the names of the
    questions on this page (whose answers it reads from the form)."""
    questions = []
    for q in version.ordered_questions():
        text = combined(q.section, q)
        questions.append([q.name, condition_tree(conditions.parse(text)) if text else None])
    return {"questions": questions, "here": here}


def age(submission: Submission) -> str:
    """How old the answers are, as a buyer reads it: "submitted 3 months ago"."""
    elapsed = submission.age()
    if elapsed is None:
        return _("not submitted yet")
    if elapsed < timedelta(days=1):
        return _("submitted today")
    days = elapsed.days
    if days < 31:
        return ngettext("submitted %(n)d day ago", "submitted %(n)d days ago", days) % {"n": days}
    months = days // 30
    if months < 12:
        return ngettext("submitted %(n)d month ago", "submitted %(n)d months ago", months) % {
            "n": months
        }
    years = days // 365
    return ngettext("submitted %(n)d year ago", "submitted %(n)d years ago", years) % {"n": years}


def stale(submission: Submission) -> bool:
    """StoneBridge default: answers older than a year should be asked again."""
    elapsed = submission.age(timezone.now())
    return elapsed is not None and elapsed > timedelta(days=365)
