"""Building a questionnaire by hand, without a file: a blank questionnaire, then sections,
questions and answer choices added to (or removed from) its draft version. A published version
is frozen; every change here refuses it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from stonebridge.accounts.models import Organisation, User
from stonebridge.audit.services import record
from stonebridge.risk.models import Indicator, Issue

from .. import conditions
from ..models import Choice, Question, QuestionKind, Questionnaire, Section, Version

CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE}


def check_draft(version: Version) -> Version:
    version = Version.objects.select_for_update().get(pk=version.pk)
    if version.frozen:
        raise ValidationError(_("This version is published: start a new version to change it."))
    return version


def check_condition(text: str, earlier: set[str], field: str) -> None:
    if not text:
        return
    try:
        names = conditions.references(conditions.parse(text))
    except conditions.ConditionError as error:
        raise ValidationError({field: _("This condition cannot be read: %s") % error}) from error
    unknown = sorted(names - earlier)
    if unknown:
        raise ValidationError(
            {field: _("A condition may only use earlier questions: %s") % ", ".join(unknown)}
        )


def _next(queryset: object) -> int:
    found = queryset.aggregate(top=Max("order"))["top"]  # type: ignore[attr-defined]
    return 0 if found is None else found + 1


@transaction.atomic
def questionnaire_create(
    *, owner: Organisation, by: User | None, title_en: str, title_zh: str = ""
) -> Version:
    """A blank questionnaire and its first, draft version."""
    slug = slugify(title_en)[:80] or "questionnaire"
    if Questionnaire.objects.filter(owner=owner, slug=slug).exists():
        raise ValidationError({"title_en": _("You already have a questionnaire with this title.")})
    questionnaire = Questionnaire.objects.create(
        owner=owner, slug=slug, title_en=title_en, title_zh=title_zh, created_by=by
    )
    version = Version.objects.create(
        questionnaire=questionnaire,
        number=1,
        title_en=title_en,
        title_zh=title_zh,
        form_id=slug,
        created_by=by,
    )
    record(actor=by, organisation=owner, verb="assessments.questionnaire_created", target=version)
    return version


@transaction.atomic
def section_add(*, version: Version, by: User | None, label_en: str, label_zh: str = "") -> Section:
    version = check_draft(version)
    order = _next(version.sections.all())
    section = Section.objects.create(
        version=version,
        order=order,
        name=f"section_{order + 1}",
        label_en=label_en,
        label_zh=label_zh,
    )
    record(
        actor=by,
        organisation=version.questionnaire.owner,
        verb="assessments.section_added",
        target=section,
        changes={"label_en": label_en},
    )
    return section


@transaction.atomic
def question_add(
    *,
    section: Section,
    by: User | None,
    name: str,
    kind: str,
    label_en: str,
    label_zh: str = "",
    hint_en: str = "",
    hint_zh: str = "",
    required: bool = False,
    relevant: str = "",
    issue: Issue | None = None,
    indicator: Indicator | None = None,
    adverse_when: str = "",
) -> Question:
    version = check_draft(section.version)
    names = list(
        Question.objects.filter(section__version=version)
        .order_by("section__order", "order")
        .values_list("name", "section__order")
    )
    if name in {n for n, _order in names}:
        raise ValidationError({"name": _("Another question already has this name.")})
    earlier = {n for n, order in names if order <= section.order}
    check_condition(relevant, earlier, "relevant")
    check_condition(adverse_when, earlier | {name}, "adverse_when")
    if indicator is not None and (issue is None or indicator.issue_id != issue.pk):
        raise ValidationError({"indicator": _("Choose an indicator of the chosen issue.")})
    question = Question.objects.create(
        section=section,
        order=_next(section.questions.all()),
        name=name,
        kind=kind,
        list_name=name if kind in CHOICE_KINDS else "",
        label_en=label_en,
        label_zh=label_zh,
        hint_en=hint_en,
        hint_zh=hint_zh,
        required=required,
        relevant=relevant,
        issue=issue,
        indicator=indicator,
        adverse_when=adverse_when,
    )
    record(
        actor=by,
        organisation=version.questionnaire.owner,
        verb="assessments.question_added",
        target=question,
        changes={"name": name, "kind": kind},
    )
    return question


@transaction.atomic
def choice_add(
    *,
    question: Question,
    by: User | None,
    name: str,
    label_en: str,
    label_zh: str = "",
    adverse: bool = False,
) -> Choice:
    version = check_draft(question.section.version)
    if question.kind not in CHOICE_KINDS:
        raise ValidationError({"name": _("Only a choice question has answer choices.")})
    if adverse and question.issue_id is None:
        raise ValidationError(
            {"adverse": _("Choose the issue this question informs before marking a problem.")}
        )
    if question.choices.filter(name=name).exists():
        raise ValidationError({"name": _("This question already has a choice with this name.")})
    choice = Choice.objects.create(
        question=question,
        order=_next(question.choices.all()),
        name=name,
        label_en=label_en,
        label_zh=label_zh,
        issue_id=question.issue_id,
        indicator_id=question.indicator_id,
        adverse=adverse,
    )
    record(
        actor=by,
        organisation=version.questionnaire.owner,
        verb="assessments.choice_added",
        target=choice,
        changes={"question": question.name, "name": name},
    )
    return choice


@transaction.atomic
def question_delete(*, question: Question, by: User | None) -> Version:
    version = check_draft(question.section.version)
    record(
        actor=by,
        organisation=version.questionnaire.owner,
        verb="assessments.question_deleted",
        target=question,
        changes={"name": question.name},
    )
    question.delete()
    return version


@transaction.atomic
def section_delete(*, section: Section, by: User | None) -> Version:
    version = check_draft(section.version)
    record(
        actor=by,
        organisation=version.questionnaire.owner,
        verb="assessments.section_deleted",
        target=section,
        changes={"questions": section.questions.count()},
    )
    section.delete()
    return version
