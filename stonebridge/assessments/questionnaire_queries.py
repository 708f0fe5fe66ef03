"""Reading questionnaires and submissions: which a buyer or a supplier sees, which questions are
shown for given answers, which answers are adverse, and the XLSForm export.

Who may read a submission: the supplier organisation that owns it; the buyer it was sent to,
once submitted; and each other buyer the supplier consented to share it with, while the consent
stands. Nothing else reaches a buyer.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from stonebridge.accounts.models import Organisation
from stonebridge.engagement.models import Relationship
from stonebridge.risk.models import Issue
from stonebridge.supplychain.models import Facility

from . import conditions, xlsform
from .models import (
    Answer,
    Choice,
    Question,
    QuestionKind,
    Questionnaire,
    Submission,
    SubmissionStatus,
    Version,
)

SHIPPED_SLUG = "stonebridge-supplier-self-assessment"


def issue_taxonomy() -> dict[str, set[str]]:
    """Issue code → its indicator codes, as the XLSForm reader checks them."""
    return {
        issue.code: {indicator.code for indicator in issue.indicators.all()}
        for issue in Issue.objects.prefetch_related("indicators")
    }


def shipped_questionnaire() -> Questionnaire | None:
    return Questionnaire.objects.filter(owner__isnull=True, slug=SHIPPED_SLUG).first()


def questionnaires_for(organisation: Organisation) -> QuerySet[Questionnaire]:
    """The organisation's own questionnaires, its covenant's, and StoneBridge's."""
    owners = Q(owner__isnull=True) | Q(owner=organisation)
    if organisation.covenant_id:
        owners |= Q(owner_id=organisation.covenant_id)
    return Questionnaire.objects.filter(owners)


def readable_versions(
    questionnaire: Questionnaire, organisation: Organisation
) -> QuerySet[Version]:
    """The versions an organisation may read, newest first: all of its own questionnaire's, only
    the published ones of a questionnaire its covenant or StoneBridge owns (a draft is its
    owner's alone)."""
    versions = questionnaire.versions.order_by("-number")
    if questionnaire.owner_id != organisation.pk:
        versions = versions.filter(published_at__isnull=False)
    return versions


def version_spec(version: Version) -> xlsform.FormSpec:
    """A stored version as the XLSForm reader describes one, for export and comparison."""
    sections = []
    for section in version.sections.prefetch_related("questions__choices").order_by("order"):
        questions = tuple(
            xlsform.QuestionSpec(
                name=q.name,
                kind=q.kind,
                label_en=q.label_en,
                label_zh=q.label_zh,
                hint_en=q.hint_en,
                hint_zh=q.hint_zh,
                required=q.required,
                relevant=q.relevant,
                issue=q.issue_id or "",
                indicator=q.indicator.code if q.indicator_id and q.indicator else "",
                adverse_when=q.adverse_when,
                list_name=q.list_name,
                choices=tuple(
                    xlsform.ChoiceSpec(
                        name=c.name,
                        label_en=c.label_en,
                        label_zh=c.label_zh,
                        adverse=c.adverse,
                        issue=c.issue_id or "",
                        indicator=c.indicator.code if c.indicator_id and c.indicator else "",
                    )
                    for c in q.choices.all()
                ),
            )
            for q in section.questions.all()
        )
        sections.append(
            xlsform.SectionSpec(
                section.name, section.label_en, section.label_zh, section.relevant, questions
            )
        )
    return xlsform.FormSpec(
        title_en=version.title_en,
        title_zh=version.title_zh,
        form_id=version.form_id,
        default_language=version.default_language or xlsform.EN,
        sections=tuple(sections),
    )


def questionnaire_export(*, version: Version) -> bytes:
    """The version as an XLSForm workbook that `questionnaire_import` reads back the same."""
    return xlsform.write(version_spec(version))


def supplier_facilities(organisation: Organisation) -> QuerySet[Facility]:
    """The sites buyers have named the supplier's organisation for, once it accepted."""
    return Facility.objects.filter(
        pk__in=Relationship.objects.filter(
            supplier=organisation, supplier_accepted_at__isnull=False
        ).values("facility")
    )


def buyers_of(organisation: Organisation) -> QuerySet[Organisation]:
    """The buyers a supplier works with: those whose relationship it accepted."""
    return Organisation.objects.filter(
        pk__in=Relationship.objects.filter(
            supplier=organisation, supplier_accepted_at__isnull=False
        ).values("organisation")
    )


def submissions_of_supplier(organisation: Organisation) -> QuerySet[Submission]:
    return Submission.objects.filter(organisation=organisation).select_related(
        "version__questionnaire", "buyer"
    )


def submissions_for_buyer(organisation: Organisation) -> QuerySet[Submission]:
    """What a buyer reads: submissions sent to it, and those shared with it while the consent
    stands; never a draft."""
    return (
        Submission.objects.exclude(status=SubmissionStatus.DRAFT)
        .filter(
            Q(buyer=organisation) | Q(shares__buyer=organisation, shares__withdrawn_at__isnull=True)
        )
        .distinct()
        .select_related("version__questionnaire", "organisation")
    )


def buyers_to_share_with(submission: Submission) -> QuerySet[Organisation]:
    """Other buyers the supplier works with, not yet given this submission."""
    return (
        buyers_of(submission.organisation)
        .exclude(pk=submission.buyer_id)
        .exclude(pk__in=submission.shares.filter(withdrawn_at__isnull=True).values("buyer"))
    )


def answer_values(submission: Submission) -> dict[str, Any]:
    """Question name → value; a file question counts as answered once it has a file."""
    values: dict[str, Any] = {}
    for answer in submission.answers.select_related("question").prefetch_related("files"):
        if answer.question.kind == QuestionKind.FILE:
            names = [f.name for f in answer.files.all()]
            if names:
                values[answer.question.name] = names
        elif answer.value not in (None, "", []):
            values[answer.question.name] = answer.value
    return values


def visible_questions(version: Version, answers: Mapping[str, Any]) -> list[Question]:
    """The questions shown for these answers, in order: a section's condition and the
    question's own must both hold."""
    questions = list(version.ordered_questions())
    shown = conditions.visible(
        ((q.name, combined(q.section.relevant, q.relevant)) for q in questions),
        answers,
    )
    return [q for q in questions if q.name in shown]


def combined(first: str, second: str) -> str:
    parts = [f"({part})" for part in (first.strip(), second.strip()) if part]
    return " and ".join(parts)


@dataclass(frozen=True)
class Adverse:
    """An answer that raises a risk once the buyer accepts the submission."""

    answer: Answer
    issue: str
    indicator: str
    stated: str


def choice_labels(question: Question, value: Any) -> list[Choice]:
    picked = value if isinstance(value, list) else [value]
    return [c for c in question.choices.all() if c.name in picked]


def stated_in_english(question: Question, value: Any) -> str:
    if question.has_choices:
        return ", ".join(c.label_en for c in choice_labels(question, value))
    return conditions.as_text(value)


def adverse_answers(submission: Submission) -> list[Adverse]:
    values = answer_values(submission)
    shown = {q.pk for q in visible_questions(submission.version, values)}
    found: list[Adverse] = []
    answers = submission.answers.select_related("question__issue", "question__indicator")
    for answer in answers.prefetch_related("question__choices__indicator"):
        question = answer.question
        if question.pk not in shown or question.name not in values:
            continue
        value = values[question.name]
        for issue, indicator in adverse_codes(question, value, values):
            found.append(
                Adverse(
                    answer,
                    issue,
                    indicator,
                    f"{question.label_en}: {stated_in_english(question, value)}",
                )
            )
    return found


def adverse_codes(
    question: Question, value: Any, values: Mapping[str, Any]
) -> list[tuple[str, str]]:
    """The (issue, indicator) pairs an answer raises: each adverse choice picked, or the
    question's own when its `adverse_when` condition holds."""
    question_indicator = question.indicator.code if question.indicator else ""
    if question.has_choices:
        return [
            (
                choice.issue_id or question.issue_id or "",
                choice.indicator.code if choice.indicator else question_indicator,
            )
            for choice in choice_labels(question, value)
            if choice.adverse and (choice.issue_id or question.issue_id)
        ]
    if (
        question.adverse_when
        and question.issue_id
        and conditions.holds(question.adverse_when, values)
    ):
        return [(question.issue_id, question_indicator)]
    return []


@dataclass(frozen=True)
class AnswerView:
    """One answered question as a reviewer reads it."""

    question: Question
    answer: Answer | None
    shown_value: str
    adverse: bool
    note: str


def answers_for_review(submission: Submission) -> list[AnswerView]:
    """The shown questions with their answers in the reader's language. An adverse answer says
    it raises a risk once accepted; a reassuring one is as stated by the supplier and lowers
    nothing until verified."""
    values = answer_values(submission)
    answers = {a.question_id: a for a in submission.answers.prefetch_related("files")}
    adverse = {item.answer.pk for item in adverse_answers(submission)}
    rows = []
    for question in visible_questions(submission.version, values):
        answer = answers.get(question.pk)
        value = values.get(question.name)
        if question.has_choices:
            shown = ", ".join(c.label for c in choice_labels(question, value))
        else:
            shown = conditions.as_text(value)
        is_adverse = answer is not None and answer.pk in adverse
        if value is None:
            note = _("Not answered")
        elif is_adverse:
            note = _("Raises a risk once you accept the answers")
        else:
            note = _("As stated by the supplier; lowers no risk until verified")
        rows.append(AnswerView(question, answer, shown, is_adverse, note))
    return rows
