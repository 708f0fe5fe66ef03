"""Every change to questionnaires and the supplier's answers. Keyword-only, atomic, one audit
entry each; bad input raises ValidationError with field errors (a question's name is its field).

Acceptance is where answers reach risk (DESIGN.md, rule 5): each adverse answer becomes evidence
for the accepting buyer, as the supplier's own disclosure, which never counts against it (no zero
tolerance, DOMAIN.md). A reassuring answer creates no evidence: it lowers nothing until a visit,
records or a measured outcome verify it.
"""

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from stonebridge.accounts.models import Organisation, User
from stonebridge.audit.services import record
from stonebridge.engagement.services.attachments import check_files
from stonebridge.risk.models import Evidence, EvidenceKind, Indicator, SourceType
from stonebridge.risk.services import evidence_record
from stonebridge.supplychain.models import Facility

from .. import questionnaire_queries as queries
from .. import xlsform
from ..models import (
    Answer,
    AnswerFile,
    Choice,
    FollowUp,
    Question,
    QuestionKind,
    Questionnaire,
    Section,
    Submission,
    SubmissionShare,
    SubmissionStatus,
    Version,
)


def locked(submission: Submission) -> Submission:
    """The caller's submission, locked for the change and read again, so that a status read
    earlier (or cached on an answer) does not decide it."""
    Submission.objects.select_for_update().filter(pk=submission.pk).values("pk").get()
    submission.refresh_from_db()
    return submission


def build_version(
    questionnaire: Questionnaire, spec: xlsform.FormSpec, number: int, by: User | None
) -> Version:
    version = Version.objects.create(
        questionnaire=questionnaire,
        number=number,
        title_en=spec.title_en,
        title_zh=spec.title_zh,
        form_id=spec.form_id,
        default_language=spec.default_language,
        created_by=by,
    )
    indicators = {i.code: i for i in Indicator.objects.all()}
    for section_order, section_spec in enumerate(spec.sections):
        section = Section.objects.create(
            version=version,
            order=section_order,
            name=section_spec.name,
            label_en=section_spec.label_en,
            label_zh=section_spec.label_zh,
            relevant=section_spec.relevant,
        )
        for order, q in enumerate(section_spec.questions):
            question = Question.objects.create(
                section=section,
                order=order,
                name=q.name,
                kind=q.kind,
                list_name=q.list_name,
                label_en=q.label_en,
                label_zh=q.label_zh,
                hint_en=q.hint_en,
                hint_zh=q.hint_zh,
                required=q.required,
                relevant=q.relevant,
                issue_id=q.issue or None,
                indicator=indicators.get(q.indicator),
                adverse_when=q.adverse_when,
            )
            Choice.objects.bulk_create(
                Choice(
                    question=question,
                    order=choice_order,
                    name=c.name,
                    label_en=c.label_en,
                    label_zh=c.label_zh,
                    issue_id=c.issue or None,
                    indicator=indicators.get(c.indicator),
                    adverse=c.adverse,
                )
                for choice_order, c in enumerate(q.choices)
            )
    return version


@transaction.atomic
def questionnaire_import(
    *,
    owner: Organisation | None,
    by: User | None,
    content: bytes,
    questionnaire: Questionnaire | None = None,
    slug: str = "",
) -> Version:
    """Read an XLSForm into a new questionnaire, or into a new draft version of `questionnaire`
    (replacing its unpublished draft). All or nothing: errors name the sheet and row."""
    try:
        spec = xlsform.read(content, taxonomy=queries.issue_taxonomy())
    except xlsform.XLSFormError as error:
        raise ValidationError({"file": [str(e) for e in error.errors]}) from error
    if questionnaire is None:
        slug = slugify(slug or spec.form_id or spec.title_en)[:80] or "questionnaire"
        if Questionnaire.objects.filter(owner=owner, slug=slug).exists():
            raise ValidationError(
                {"slug": _("You already have a questionnaire with this short name.")}
            )
        questionnaire = Questionnaire.objects.create(
            owner=owner, slug=slug, title_en=spec.title_en, title_zh=spec.title_zh, created_by=by
        )
        number = 1
    else:
        if questionnaire.owner_id != (owner.pk if owner else None):
            raise ValidationError({"questionnaire": _("This questionnaire is not yours.")})
        draft = questionnaire.draft()
        if draft is not None:
            number = draft.number
            draft.delete()
        else:
            latest = questionnaire.versions.order_by("-number").first()
            number = (latest.number if latest else 0) + 1
        questionnaire.title_en, questionnaire.title_zh = spec.title_en, spec.title_zh
        questionnaire.save(update_fields=["title_en", "title_zh"])
    version = build_version(questionnaire, spec, number, by)
    record(
        actor=by,
        organisation=owner,
        verb="assessments.questionnaire_imported",
        target=version,
        changes={"questions": len(spec.questions()), "version": number},
    )
    return version


@transaction.atomic
def questionnaire_publish(*, version: Version, by: User | None) -> Version:
    """Freeze a draft: suppliers answer it from now on; changes need a new version."""
    version = Version.objects.select_for_update().get(pk=version.pk)
    if version.frozen:
        raise ValidationError({"version": _("This version is already published.")})
    if not Question.objects.filter(section__version=version).exists():
        raise ValidationError({"version": _("Add at least one question before publishing.")})
    version.published_at, version.published_by = timezone.now(), by
    version.save(update_fields=["published_at", "published_by"])
    record(
        actor=by,
        organisation=version.questionnaire.owner,
        verb="assessments.questionnaire_published",
        target=version,
        changes={"version": version.number},
    )
    return version


@transaction.atomic
def questionnaire_new_version(*, questionnaire: Questionnaire, by: User | None) -> Version:
    """A draft to edit, copied from the latest version; the existing draft if there is one."""
    draft = questionnaire.draft()
    if draft is not None:
        return draft
    latest = questionnaire.versions.order_by("-number").first()
    if latest is None:
        raise ValidationError({"questionnaire": _("This questionnaire has no version to copy.")})
    version = build_version(questionnaire, queries.version_spec(latest), latest.number + 1, by)
    record(
        actor=by,
        organisation=questionnaire.owner,
        verb="assessments.questionnaire_version_started",
        target=version,
        changes={"version": version.number, "from": latest.number},
    )
    return version


@transaction.atomic
def submission_start(
    *,
    organisation: Organisation,
    buyer: Organisation,
    version: Version,
    facilities: Iterable[Facility],
    by: User | None,
) -> Submission:
    """The supplier starts answering a published version for a buyer it works with, for one or
    more of its sites."""
    facilities = list(facilities)
    errors: dict[str, str] = {}
    if not version.frozen:
        errors["version"] = _("Answer a published version of the questionnaire.")
    if not queries.buyers_of(organisation).filter(pk=buyer.pk).exists():
        errors["buyer"] = _("Choose a buyer you work with on StoneBridge.")
    own = set(queries.supplier_facilities(organisation).values_list("pk", flat=True))
    if not facilities:
        errors["facilities"] = _("Choose at least one of your sites.")
    elif any(f.pk not in own for f in facilities):
        errors["facilities"] = _("Choose only your own sites.")
    if errors:
        raise ValidationError(errors)
    submission = Submission.objects.create(
        organisation=organisation, buyer=buyer, version=version, started_by=by
    )
    submission.facilities.set(facilities)
    record(
        actor=by,
        organisation=organisation,
        verb="assessments.submission_started",
        target=submission,
        changes={
            "version": version.pk,
            "buyer": buyer.pk,
            "facilities": [f.pk for f in facilities],
        },
    )
    return submission


@transaction.atomic
def submission_save(
    *,
    submission: Submission,
    by: User | None,
    answers: Mapping[str, Any],
    files: Mapping[str, Iterable[UploadedFile]] | None = None,
) -> Submission:
    """Save answers as a draft (also while a buyer's follow-up is open). An empty value clears
    an answer; files are added to a file question's answer after their bytes are checked."""
    submission = locked(submission)
    if not submission.editable:
        raise ValidationError({"submission": _("These answers are already sent.")})
    questions = {
        q.name: q
        for q in Question.objects.filter(section__version=submission.version).prefetch_related(
            "choices"
        )
    }
    errors: dict[str, Any] = {}
    cleaned: dict[str, Any] = {}
    for name, raw in answers.items():
        question = questions.get(name)
        if question is None:
            errors[name] = _("There is no such question.")
            continue
        try:
            cleaned[name] = question.cleaned_answer(raw)
        except ValidationError as error:
            errors[name] = error.messages
    checked_files: dict[str, list[tuple[str, str, bytes]]] = {}
    for name, uploads in (files or {}).items():
        question = questions.get(name)
        if question is None or question.kind != QuestionKind.FILE:
            errors[name] = _("This question takes no file.")
            continue
        try:
            checked_files[name] = check_files(uploads)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    for name, value in cleaned.items():
        question = questions[name]
        if value is None:
            submission.answers.filter(question=question, files__isnull=True).delete()
            continue
        Answer.objects.update_or_create(
            submission=submission,
            question=question,
            defaults={"value": value, "updated_at": now, "updated_by": by},
        )
    for name, checked in checked_files.items():
        answer, _created = Answer.objects.get_or_create(
            submission=submission,
            question=questions[name],
            defaults={"updated_at": now, "updated_by": by},
        )
        AnswerFile.objects.bulk_create(
            AnswerFile(
                answer=answer,
                name=file_name,
                content_type=content_type,
                size=len(content),
                content=content,
                uploaded_by=by,
            )
            for file_name, content_type, content in checked
        )
    record(
        actor=by,
        organisation=submission.organisation,
        verb="assessments.submission_saved",
        target=submission,
        changes={"answers": sorted(cleaned), "files": sorted(checked_files)},
    )
    return submission


@transaction.atomic
def answer_file_remove(*, file: AnswerFile, by: User | None) -> None:
    submission = locked(file.answer.submission)
    if not submission.editable:
        raise ValidationError({"submission": _("These answers are already sent.")})
    record(
        actor=by,
        organisation=submission.organisation,
        verb="assessments.answer_file_removed",
        target=submission,
        changes={"file": file.pk, "question": file.answer.question.name},
    )
    file.delete()


@transaction.atomic
def submission_submit(*, submission: Submission, by: User | None) -> Submission:
    """Send the answers: every shown required question must be answered; answers to questions
    the conditions hide are dropped, as they no longer apply."""
    submission = locked(submission)
    if not submission.editable:
        raise ValidationError({"submission": _("These answers are already sent.")})
    values = queries.answer_values(submission)
    shown = queries.visible_questions(submission.version, values)
    missing = {
        q.name: _("Please answer this question.")
        for q in shown
        if q.required and q.name not in values
    }
    if missing:
        raise ValidationError(missing)
    hidden = submission.answers.exclude(question__in=[q.pk for q in shown])
    dropped = sorted(hidden.values_list("question__name", flat=True))
    hidden.delete()
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at, submission.submitted_by = timezone.now(), by
    submission.save(update_fields=["status", "submitted_at", "submitted_by"])
    record(
        actor=by,
        organisation=submission.organisation,
        verb="assessments.submission_submitted",
        target=submission,
        changes={"dropped": dropped, "answers": len(values) - len(dropped)},
    )
    return submission


def check_reader(submission: Submission, buyer: Organisation) -> None:
    if not queries.submissions_for_buyer(buyer).filter(pk=submission.pk).exists():
        raise ValidationError({"submission": _("These answers are not shared with you.")})


@transaction.atomic
def submission_follow_up(
    *, answer: Answer, buyer: Organisation, by: User | None, question: str
) -> FollowUp:
    """A buyer asks about one answer. The buyer the answers were sent to reopens them for the
    supplier to change; a buyer they are shared with only asks."""
    submission = locked(answer.submission)
    check_reader(submission, buyer)
    if not question.strip():
        raise ValidationError({"question": _("Write your question.")})
    follow_up = FollowUp.objects.create(
        organisation=buyer, answer=answer, question=question.strip(), asked_by=by
    )
    if buyer.pk == submission.buyer_id and submission.status == SubmissionStatus.SUBMITTED:
        submission.status = SubmissionStatus.FOLLOW_UP
        submission.save(update_fields=["status"])
    record(
        actor=by,
        organisation=buyer,
        verb="assessments.follow_up_asked",
        target=follow_up,
        changes={"submission": submission.pk, "question": answer.question.name},
    )
    return follow_up


@transaction.atomic
def submission_reply(*, follow_up: FollowUp, by: User | None, reply: str) -> FollowUp:
    """The supplier replies to a buyer's follow-up question."""
    if not reply.strip():
        raise ValidationError({"reply": _("Write your reply.")})
    follow_up.reply, follow_up.replied_at, follow_up.replied_by = reply.strip(), timezone.now(), by
    follow_up.save(update_fields=["reply", "replied_at", "replied_by"])
    record(
        actor=by,
        organisation=follow_up.answer.submission.organisation,
        verb="assessments.follow_up_replied",
        target=follow_up,
        changes={"submission": follow_up.answer.submission_id},
    )
    return follow_up


@transaction.atomic
def submission_accept(
    *, submission: Submission, buyer: Organisation, by: User | None
) -> list[Evidence]:
    """The buyer accepts the answers for its own risk register: each adverse answer becomes
    evidence for each site answered for, dated the day the supplier submitted, as the
    supplier's own disclosure. Reassuring answers create nothing. Returns the evidence."""
    submission = locked(submission)
    check_reader(submission, buyer)
    if submission.status == SubmissionStatus.FOLLOW_UP and buyer.pk == submission.buyer_id:
        raise ValidationError(
            {"submission": _("The supplier is changing its answers after your follow-up.")}
        )
    share = submission.shares.filter(buyer=buyer).first()
    already = (
        submission.accepted_at if buyer.pk == submission.buyer_id else share and share.accepted_at
    )
    if already:
        raise ValidationError({"submission": _("You have already accepted these answers.")})
    assert submission.submitted_at is not None
    observed_on = timezone.localdate(submission.submitted_at)
    facilities = list(submission.facilities.all())
    evidence = []
    for item in queries.adverse_answers(submission):
        for facility in facilities:
            evidence.append(
                evidence_record(
                    organisation=buyer,
                    by=by,
                    facility=facility,
                    issue=item.issue,
                    indicator=item.indicator or None,
                    kind=EvidenceKind.FINDING,
                    observed_on=observed_on,
                    source_type=SourceType.SELF_ASSESSMENT,
                    summary=_("Stated by the supplier in its self-assessment: %(answer)s")
                    % {"answer": item.stated},
                    disclosed_by_supplier=True,
                    origin=f"assessments.answer:{item.answer.pk}",
                )
            )
    now = timezone.now()
    if buyer.pk == submission.buyer_id:
        submission.status = SubmissionStatus.ACCEPTED
        submission.accepted_at, submission.accepted_by = now, by
        submission.save(update_fields=["status", "accepted_at", "accepted_by"])
    elif share is not None:
        share.accepted_at, share.accepted_by = now, by
        share.save(update_fields=["accepted_at", "accepted_by"])
    record(
        actor=by,
        organisation=buyer,
        verb="assessments.submission_accepted",
        target=submission,
        changes={"evidence": [e.pk for e in evidence]},
    )
    return evidence


@transaction.atomic
def submission_share(
    *, submission: Submission, buyer: Organisation, by: User | None
) -> SubmissionShare:
    """The supplier consents to let another buyer it works with read these answers (answer
    once, share many). That buyer sees when they were given."""
    submission = locked(submission)
    if submission.status == SubmissionStatus.DRAFT:
        raise ValidationError({"submission": _("Send your answers before sharing them.")})
    if buyer.pk == submission.buyer_id:
        raise ValidationError({"buyer": _("This buyer already has these answers.")})
    if not queries.buyers_of(submission.organisation).filter(pk=buyer.pk).exists():
        raise ValidationError({"buyer": _("Choose a buyer you work with on StoneBridge.")})
    share, created = SubmissionShare.objects.get_or_create(
        submission=submission, buyer=buyer, defaults={"consented_by": by}
    )
    if not created:
        if share.withdrawn_at is None:
            raise ValidationError({"buyer": _("This buyer already has these answers.")})
        share.withdrawn_at, share.consented_at, share.consented_by = None, timezone.now(), by
        share.save(update_fields=["withdrawn_at", "consented_at", "consented_by"])
    record(
        actor=by,
        organisation=submission.organisation,
        verb="assessments.submission_shared",
        target=share,
        changes={"submission": submission.pk, "buyer": buyer.pk},
    )
    return share


@transaction.atomic
def submission_unshare(*, share: SubmissionShare, by: User | None) -> SubmissionShare:
    """The supplier withdraws its consent: the buyer reads the answers no more. Evidence it
    already accepted stays in its register, as any accepted finding does."""
    if share.withdrawn_at is not None:
        return share
    share.withdrawn_at = timezone.now()
    share.save(update_fields=["withdrawn_at"])
    record(
        actor=by,
        organisation=share.submission.organisation,
        verb="assessments.submission_unshared",
        target=share,
        changes={"buyer": share.buyer_id},
    )
    return share


SHIPPED_FILE = "supplier-self-assessment.xlsx"


@transaction.atomic
def questionnaire_load_shipped(*, by: User | None = None) -> Version:
    """StoneBridge's own supplier self-assessment (`data/`), published for everyone. Idempotent:
    a new version only when the file changed since the last one."""
    content = (Path(__file__).resolve().parent.parent / "data" / SHIPPED_FILE).read_bytes()
    questionnaire = queries.shipped_questionnaire()
    if questionnaire is None:
        version = questionnaire_import(
            owner=None, by=by, content=content, slug=queries.SHIPPED_SLUG
        )
        return questionnaire_publish(version=version, by=by)
    latest = questionnaire.latest_published()
    spec = xlsform.read(content, taxonomy=queries.issue_taxonomy())
    if latest is not None and queries.version_spec(latest) == spec:
        return latest
    version = questionnaire_import(owner=None, by=by, content=content, questionnaire=questionnaire)
    return questionnaire_publish(version=version, by=by)
