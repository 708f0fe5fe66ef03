"""Worker surveys: the question bank, making and closing a survey, a worker's answers, the owner's
protected tables, and a plan's before/after outcome measured by two surveys.

Nothing here receives a request: the public view passes only the choices a worker picked, so no
address or browser detail can reach a response.
"""

import json
import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stonebridge.accounts.models import Organisation, User
from stonebridge.assessments.models import Choice, Question, Questionnaire, Section, Version
from stonebridge.audit.services import record
from stonebridge.engagement.models import Measure
from stonebridge.engagement.services import measures as engagement_measures
from stonebridge.risk import services as risk
from stonebridge.risk.models import EvidenceKind, Issue, SourceType
from stonebridge.supplychain.models import Facility

from .. import disclosure
from ..models import GROUP_SECTION, Survey, SurveyResponse

BANK = Path(__file__).resolve().parent.parent / "data" / "worker-survey.json"
QUESTION_SECTION = "questions"
TOKEN_BYTES = 6  # 8 characters: short enough to type from a poster, too many to guess
# StoneBridge default: when at least this share of a closed survey's published answers to a
# question is an adverse choice (no day off in a week, no fitting mask), it becomes worker-voice
# evidence on the question's issue.
ADVERSE_SHARE = Decimal("20")


# --- the bank -----------------------------------------------------------------------------------


def bank_version() -> Version:
    """The worker bank as a questionnaire StoneBridge ships, loaded from its data file the first
    time it is needed; later versions of the file become new published versions."""
    spec = json.loads(BANK.read_text(encoding="utf-8"))
    questionnaire, _created = Questionnaire.objects.get_or_create(
        owner=None,
        slug=spec["slug"],
        defaults={"title_en": spec["title_en"], "title_zh": spec["title_zh"]},
    )
    latest = questionnaire.latest_published()
    if latest is not None and _spec_of(latest) == _spec_key(spec):
        return latest
    return _load_version(questionnaire, spec, (latest.number + 1) if latest else 1)


def _spec_key(spec: dict) -> list:
    return [
        (section, q["name"], q["label_zh"], [tuple(c[:3]) for c in q["choices"]])
        for section in ("questions", "groups")
        for q in spec[section]
    ]


def _spec_of(version: Version) -> list:
    found = []
    for question in version.ordered_questions():
        section = "groups" if question.section.name == GROUP_SECTION else "questions"
        choices = [(c.name, c.label_en, c.label_zh) for c in question.choices.all()]
        found.append((section, question.name, question.label_zh, choices))
    return found


def _load_version(questionnaire: Questionnaire, spec: dict, number: int) -> Version:
    version = Version.objects.create(
        questionnaire=questionnaire,
        number=number,
        title_en=spec["title_en"],
        title_zh=spec["title_zh"],
        published_at=timezone.now(),
    )
    issues = set(Issue.objects.values_list("code", flat=True))
    for order, (name, key) in enumerate(
        ((QUESTION_SECTION, "questions"), (GROUP_SECTION, "groups"))
    ):
        section = Section.objects.create(version=version, order=order, name=name)
        for q_order, item in enumerate(spec[key]):
            question = Question.objects.create(
                section=section,
                order=q_order,
                name=item["name"],
                kind=Question.Kind.SINGLE,
                list_name=item["name"],
                label_en=item["label_en"],
                label_zh=item["label_zh"],
                required=True,
                issue_id=item.get("issue") if item.get("issue") in issues else None,
            )
            for c_order, choice in enumerate(item["choices"]):
                Choice.objects.create(
                    question=question,
                    order=c_order,
                    name=choice[0],
                    label_en=choice[1],
                    label_zh=choice[2],
                    adverse=len(choice) > 3 and bool(choice[3]),
                )
    return version


# --- surveys ------------------------------------------------------------------------------------


@transaction.atomic
def survey_create(
    *,
    organisation: Organisation,
    by: User | None,
    facility: Facility,
    title: str,
    opens_on: date,
    closes_on: date,
) -> Survey:
    title = title.strip()
    errors = {}
    if not title:
        errors["title"] = _("Give the survey a title.")
    if closes_on < opens_on:
        errors["closes_on"] = _("The survey must close after it opens.")
    if errors:
        raise ValidationError(errors)
    survey = Survey.objects.create(
        organisation=organisation,
        facility=facility,
        token=_new_token(),
        title=title,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=by,
    )
    survey.questions.set(Question.objects.filter(section__version=bank_version()))
    record(
        actor=by,
        organisation=organisation,
        verb="voice.survey_created",
        target=survey,
        changes={"facility": facility.pk, "opens_on": opens_on, "closes_on": closes_on},
    )
    return survey


def _new_token() -> str:
    while True:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        if not Survey.objects.filter(token=token).exists():
            return token


@transaction.atomic
def survey_close(*, survey: Survey, by: User | None) -> Survey:
    """Stop taking answers and publish the results; a published adverse share at or above
    ADVERSE_SHARE goes to risk as worker-voice evidence."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.closed_at is not None:
        raise ValidationError(_("This survey is already closed."))
    survey.closed_at = timezone.now()
    survey.save(update_fields=["closed_at"])
    record(actor=by, organisation=survey.organisation, verb="voice.survey_closed", target=survey)
    _record_evidence(survey, by)
    return survey


def _record_evidence(survey: Survey, by: User | None) -> None:
    results = survey_results(organisation=survey.organisation)
    node = (disclosure.survey_scope(survey.pk), disclosure.ALL)
    observed_on = min(survey.closes_on, timezone.localdate())
    for question in results.questions:
        if question.issue_id is None:
            continue
        adverse = [c for c in question.choices.all() if c.adverse]
        found = [disclosure.share(results.published, node, question.name, c.name) for c in adverse]
        if not found or any(f is None for f in found):
            continue  # a hidden count is not evidence for anyone, the owner included
        picked = sum(f[0] for f in found if f)
        total = found[0][1] if found[0] else 0
        percent = Decimal(100 * picked) / total
        if percent < ADVERSE_SHARE:
            continue
        risk.evidence_record(
            organisation=survey.organisation,
            by=by,
            facility=survey.facility,
            issue=question.issue_id,
            kind=EvidenceKind.FINDING,
            observed_on=observed_on,
            source_type=SourceType.WORKER_INTERVIEW,
            summary=_(
                "Worker survey “%(survey)s”: %(picked)s of %(total)s answered “%(answer)s” to "
                "“%(question)s”."
            )
            % {
                "survey": survey.title,
                "picked": picked,
                "total": total,
                "answer": " / ".join(c.label for c in adverse),
                "question": question.label,
            },
            people_affected=picked,
            origin=f"voice.survey:{survey.pk}:{question.name}",
        )


class SurveyClosed(Exception):
    """The survey does not take answers today."""


def response_submit(*, survey: Survey, answers: dict[str, str]) -> SurveyResponse:
    """A worker's answers: every question, one of its choices. Kept with the month only."""
    today = timezone.localdate()
    if not survey.accepts_answers(today):
        raise SurveyClosed
    errors = {}
    kept = {}
    for question in survey.questions.prefetch_related("choices"):
        picked = answers.get(question.name, "")
        if picked not in {c.name for c in question.choices.all()}:
            errors[question.name] = _("Please choose one answer.")
        else:
            kept[question.name] = picked
    if errors:
        raise ValidationError(errors)
    return SurveyResponse.objects.create(survey=survey, period=today.replace(day=1), answers=kept)


# --- results ------------------------------------------------------------------------------------


@dataclass
class Results:
    """The owner's closed surveys as protected tables over the fixed hierarchy."""

    published: disclosure.Protected
    questions: list[Question]  # the questions every survey asked, groups excluded
    groups: list[Question]
    surveys: list[Survey]
    places: dict[int, disclosure.Place]


def months_between(start: date, end: date) -> tuple[str, ...]:
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months)


def survey_results(*, organisation: Organisation) -> Results:
    surveys = list(
        Survey.objects.closed()
        .filter(organisation=organisation)
        .select_related("facility")
        .prefetch_related("questions__choices", "questions__section")
        .order_by("opens_on", "pk")
    )
    # The tables cover the questions every survey asked (by name), so their sums hold.
    common: dict[str, Question] = {}
    names: set[str] | None = None
    for survey in surveys:
        asked = {q.name: q for q in survey.questions.all()}
        names = set(asked) if names is None else names & set(asked)
        common.update(asked)
    chosen = sorted((common[n] for n in names or ()), key=lambda q: (q.section.order, q.order))
    questions = [q for q in chosen if q.section.name != GROUP_SECTION]
    groups = [q for q in chosen if q.section.name == GROUP_SECTION]
    layout = disclosure.Layout(
        questions={q.name: [c.name for c in q.choices.all()] for q in questions},
        groups={q.name: [c.name for c in q.choices.all()] for q in groups},
    )
    places = {
        s.pk: disclosure.Place(s.facility_id, months_between(s.opens_on, s.closes_on))
        for s in surveys
    }
    replies = [
        disclosure.Reply(survey_id, f"{period:%Y-%m}", answers)
        for survey_id, period, answers in SurveyResponse.objects.filter(
            survey__in=surveys
        ).values_list("survey_id", "period", "answers")
    ]
    published = disclosure.protect(replies, layout, places)
    return Results(published, questions, groups, surveys, places)


# --- before and after ---------------------------------------------------------------------------


def _share_percent(results: Results, survey: Survey, question: str, choice: str) -> Decimal:
    found = disclosure.share(
        results.published, (disclosure.survey_scope(survey.pk), disclosure.ALL), question, choice
    )
    if found is None:
        raise ValidationError(
            _(
                "“%(survey)s” has fewer than 5 answers behind this share: it is hidden to protect "
                "workers and cannot be used."
            )
            % {"survey": survey.title}
        )
    picked, total = found
    return (Decimal(100 * picked) / total).quantize(Decimal("0.1"))


@transaction.atomic
def measure_from_surveys(
    *,
    measure: Measure,
    by: User,
    before: Survey,
    after: Survey,
    question: str,
    choice: str,
) -> Measure:
    """A plan's outcome measured by two surveys: the share of workers who picked `choice` in
    the before survey becomes the baseline, the after survey's share a measured value (which
    goes to risk as a worker-voice outcome). Only published shares, each resting on at least
    five answers, are used."""
    relationship = measure.action.plan.relationship
    owner = relationship.organisation
    before, after = Survey.objects.get(pk=before.pk), Survey.objects.get(pk=after.pk)
    if before.organisation_id != owner.pk or after.organisation_id != owner.pk:
        raise ValidationError(_("Use surveys of the plan's buyer."))
    if measure.kind != Measure.Kind.OUTCOME:
        raise ValidationError(_("A milestone is achieved, not measured."))
    if before.closed_at is None or after.closed_at is None:
        raise ValidationError(
            _("Close both surveys first: results appear once a survey is closed.")
        )
    if before.opens_on >= after.opens_on:
        raise ValidationError(_("The “after” survey must start later than the “before” survey."))
    results = survey_results(organisation=owner)
    asked = {q.name: {c.name for c in q.choices.all()} for q in results.questions}
    if choice not in asked.get(question, set()):
        raise ValidationError({"question": _("Choose a question and answer both surveys asked.")})
    baseline = _share_percent(results, before, question, choice)
    value = _share_percent(results, after, question, choice)
    measure.source = Measure.Source.SURVEY
    measure.unit = measure.unit or "%"
    measure.save(update_fields=["source", "unit"])
    engagement_measures.measure_set_targets(
        measure=measure, by=by, baseline=baseline, target=measure.target
    )
    engagement_measures.reading_record(
        measure=measure,
        by=by,
        by_supplier=False,
        measured_on=min(after.closes_on, timezone.localdate()),
        value=value,
        note=_("Worker surveys: %(before)s → %(after)s")
        % {"before": before.title, "after": after.title},
    )
    record(
        actor=by,
        organisation=owner,
        verb="voice.survey_measured",
        target=after,
        changes={
            "measure": measure.pk,
            "before": before.pk,
            "question": question,
            "choice": choice,
            "baseline": baseline,
            "value": value,
        },
    )
    return measure
