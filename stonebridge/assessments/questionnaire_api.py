"""Questionnaires over the API: the same services and checks as the pages.

A buyer (or the covenant) lists, imports, exports, publishes and sends questionnaires, reads the
answers sent or shared with it, asks follow-ups and accepts; the supplier, under its own
organisation's `/workspace/`, saves its answers, submits, replies and shares them with other
buyers it works with. Rows are found through `access.py`: outsiders get a 404."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet, Value
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from stonebridge.accounts.access import (
    get_received_or_404,
    get_scoped_or_404,
    get_shared_or_404,
    membership_for,
    received,
    scoped,
)
from stonebridge.accounts.api import ERRORS, ApiRequest
from stonebridge.accounts.models import Membership, Role
from stonebridge.engagement import queries as engagement
from stonebridge.inputs import Id, PositiveSmallInteger
from stonebridge.pages import Pages
from stonebridge.pages import attachment as download

from . import questionnaire_forms as forms
from . import questionnaire_pages as pages
from . import questionnaire_queries as queries
from .models.questionnaires import FollowUp, Questionnaire, Submission, SubmissionShare, Version
from .questionnaire_schemas import (
    AcceptOut,
    AnswersIn,
    FollowUpIn,
    FollowUpOut,
    QuestionnaireDetailOut,
    QuestionnaireOut,
    ReplyIn,
    SendIn,
    ShareIn,
    ShareOut,
    SubmissionDetailOut,
    SubmissionOut,
    VersionOut,
)
from .services import questionnaires as services

router = Router(tags=["questionnaires"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD: dict[str, Any] = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        }
    }
}
DOWNLOAD: dict[str, Any] = {
    "responses": {200: {"description": "The XLSForm workbook", "content": {XLSX: {}}}}
}


def _questionnaire(membership: Membership, questionnaire_id: int) -> Questionnaire:
    return get_shared_or_404(
        queries.questionnaires_for(membership.organisation), pk=questionnaire_id
    )


def _received(membership: Membership, submission_id: int) -> Submission:
    return get_received_or_404(
        Submission.objects.select_related("version", "organisation", "buyer"),
        membership,
        pk=submission_id,
    )


def _own_submission(membership: Membership, submission_id: int) -> Submission:
    return get_scoped_or_404(
        Submission.objects.select_related("version", "organisation", "buyer"),
        membership,
        pk=submission_id,
    )


def _detail(submission: Submission, follow_ups: QuerySet[FollowUp]) -> Submission:
    """The submission with the answers the conditions show, each with its follow-ups."""
    asked: dict[int, list[FollowUp]] = {}
    for follow_up in follow_ups.select_related("answer__question"):
        asked.setdefault(follow_up.answer_id, []).append(follow_up)
    answers = []
    for item in pages.items(submission.version, pages.answers_of(submission)):
        if not item.shown:
            continue
        answer = item.answer
        answers.append(
            {
                "id": answer.pk if answer else None,
                "question": item.question.name,
                "value": item.value,
                "files": [f.name for f in answer.files.all()] if answer else [],
                "adverse": item.adverse,
                "stated": item.answered and not item.adverse,
                "updated_at": answer.updated_at if answer else None,
                "follow_ups": asked.get(answer.pk, []) if answer else [],
            }
        )
    submission.shown_answers = answers  # type: ignore[attr-defined]
    return submission


# --- the buyer's or the covenant's questionnaires ---------------------------------------------


@router.get("/organisations/{org}/questionnaires", response=list[QuestionnaireOut])
@paginate(Pages)
def questionnaire_list(request: ApiRequest, org: str) -> QuerySet[Questionnaire]:
    """The organisation's questionnaires, its covenant's and StoneBridge's own."""
    membership = membership_for(request.auth, org)
    return (
        queries.questionnaires_for(membership.organisation)
        .select_related("owner")
        .prefetch_related("versions")
        .order_by("pk")
    )


@router.get(
    "/organisations/{org}/questionnaires/{questionnaire_id}", response=QuestionnaireDetailOut
)
def questionnaire_detail(request: ApiRequest, org: str, questionnaire_id: Id) -> Questionnaire:
    return _questionnaire(membership_for(request.auth, org), questionnaire_id)


@router.post(
    "/organisations/{org}/questionnaires",
    response={201: VersionOut, **ERRORS},
    openapi_extra=UPLOAD,
)
def questionnaire_import(request: ApiRequest, org: str) -> Status[Version]:
    """Upload an XLSForm (multipart, field `file`): a new questionnaire as a draft version 1.
    All or nothing: a file with mistakes answers 422 with each row to correct."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    form = forms.ImportForm({}, request.FILES)
    if not form.is_valid():
        raise ValidationError({k: [str(m) for m in v] for k, v in form.errors.items()})
    version = services.questionnaire_import(
        owner=membership.organisation, by=request.auth, content=form.cleaned_data["file"].read()
    )
    return Status(201, version)


@router.get(
    "/organisations/{org}/questionnaires/{questionnaire_id}/xlsform",
    response={200: None},
    openapi_extra=DOWNLOAD,
)
def questionnaire_export(
    request: ApiRequest, org: str, questionnaire_id: Id, version: PositiveSmallInteger | None = None
) -> HttpResponse:
    """The questionnaire as an XLSForm workbook: the newest version, or the one named."""
    membership = membership_for(request.auth, org)
    found = _questionnaire(membership, questionnaire_id)
    versions = queries.readable_versions(found, membership.organisation)
    chosen = (versions.filter(number=version) if version is not None else versions).first()
    if chosen is None:
        raise ValidationError({"version": _("There is no such version.")})
    content = queries.questionnaire_export(version=chosen)
    return download(content, f"{found.slug}-v{chosen.number}.xlsx", XLSX)


@router.post(
    "/organisations/{org}/questionnaires/{questionnaire_id}/publish",
    response={200: VersionOut, **ERRORS},
)
def questionnaire_publish(request: ApiRequest, org: str, questionnaire_id: Id) -> Version:
    """Publish the draft version: frozen from now on."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    found = get_scoped_or_404(Questionnaire.objects.all(), membership, pk=questionnaire_id)
    draft = found.draft()
    if draft is None:
        raise ValidationError({"version": _("There is no draft version to publish.")})
    return services.questionnaire_publish(version=draft, by=request.auth)


@router.post(
    "/organisations/{org}/questionnaires/{questionnaire_id}/versions",
    response={201: VersionOut, **ERRORS},
)
def questionnaire_new_version(
    request: ApiRequest, org: str, questionnaire_id: Id
) -> Status[Version]:
    """A draft copied from the newest version (the existing draft if there is one)."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    found = get_scoped_or_404(Questionnaire.objects.all(), membership, pk=questionnaire_id)
    return Status(201, services.questionnaire_new_version(questionnaire=found, by=request.auth))


@router.post(
    "/organisations/{org}/questionnaires/{questionnaire_id}/send",
    response={201: SubmissionOut, **ERRORS},
)
def questionnaire_send(
    request: ApiRequest, org: str, questionnaire_id: Id, payload: SendIn
) -> Status[Submission]:
    """Send the newest published version to the supplier of one of the organisation's
    relationships, for that relationship's site."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    found = _questionnaire(membership, questionnaire_id)
    relationship = (
        engagement.relationships_for(membership.organisation)
        .filter(pk=payload.relationship_id, supplier_accepted_at__isnull=False)
        .first()
    )
    if relationship is None or relationship.supplier is None:
        raise ValidationError(
            {"relationship_id": _("Choose a supplier that accepted to work with you.")}
        )
    version = found.latest_published()
    if version is None:
        raise ValidationError({"questionnaire": _("Publish the questionnaire before sending it.")})
    submission = services.submission_start(
        organisation=relationship.supplier,
        buyer=membership.organisation,
        version=version,
        facilities=[relationship.facility],
        by=request.auth,
    )
    return Status(201, submission)


# --- answers the buyer received ---------------------------------------------------------------


@router.get("/organisations/{org}/submissions", response=list[SubmissionOut])
@paginate(Pages)
def submission_list(request: ApiRequest, org: str) -> QuerySet[Submission]:
    """Answers sent to the organisation, or shared with it by the supplier's consent."""
    membership = membership_for(request.auth, org)
    return (
        received(Submission.objects.select_related("version", "organisation", "buyer"), membership)
        .annotate(reader_id=Value(membership.organisation.pk))
        .order_by("-submitted_at", "-pk")
    )


@router.get("/organisations/{org}/submissions/{submission_id}", response=SubmissionDetailOut)
def submission_detail(request: ApiRequest, org: str, submission_id: Id) -> Submission:
    membership = membership_for(request.auth, org)
    found = _received(membership, submission_id)
    found.reader_id = membership.organisation.pk  # type: ignore[attr-defined]
    return _detail(found, scoped(FollowUp.objects.filter(answer__submission=found), membership))


@router.post(
    "/organisations/{org}/submissions/{submission_id}/accept",
    response={200: AcceptOut, **ERRORS},
)
def submission_accept(request: ApiRequest, org: str, submission_id: Id) -> dict[str, Any]:
    """Accept the answers: each adverse answer becomes evidence in the risk register."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    found = _received(membership, submission_id)
    evidence = services.submission_accept(
        submission=found, buyer=membership.organisation, by=request.auth
    )
    return {"evidence": [e.pk for e in evidence]}


@router.post(
    "/organisations/{org}/answers/{answer_id}/follow-ups",
    response={201: FollowUpOut, **ERRORS},
)
def follow_up(
    request: ApiRequest, org: str, answer_id: Id, payload: FollowUpIn
) -> Status[FollowUp]:
    """Ask the supplier about one answer."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    found = get_received_or_404(Submission.objects.all(), membership, answers__pk=answer_id)
    asked = services.submission_follow_up(
        answer=found.answers.get(pk=answer_id),
        buyer=membership.organisation,
        by=request.auth,
        question=payload.question,
    )
    return Status(201, asked)


# --- the supplier's side, in its workspace ----------------------------------------------------


@router.get("/organisations/{org}/workspace/submissions", response=list[SubmissionOut])
@paginate(Pages)
def own_submission_list(request: ApiRequest, org: str) -> QuerySet[Submission]:
    """The questionnaires buyers sent to this organisation, drafts included."""
    membership = membership_for(request.auth, org)
    return scoped(
        Submission.objects.select_related("version", "organisation", "buyer"), membership
    ).order_by("-started_at", "-pk")


@router.get(
    "/organisations/{org}/workspace/submissions/{submission_id}", response=SubmissionDetailOut
)
def own_submission_detail(request: ApiRequest, org: str, submission_id: Id) -> Submission:
    found = _own_submission(membership_for(request.auth, org), submission_id)
    return _detail(found, FollowUp.objects.filter(answer__submission=found))


@router.post(
    "/organisations/{org}/workspace/submissions/{submission_id}/answers",
    response={200: SubmissionOut, **ERRORS},
)
def answers_save(
    request: ApiRequest, org: str, submission_id: Id, payload: AnswersIn
) -> Submission:
    """Save answers as a draft (or while a follow-up is open); null clears one."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    found = _own_submission(membership, submission_id)
    return services.submission_save(submission=found, by=request.auth, answers=payload.answers)


@router.post(
    "/organisations/{org}/workspace/submissions/{submission_id}/submit",
    response={200: SubmissionOut, **ERRORS},
)
def submission_submit(request: ApiRequest, org: str, submission_id: Id) -> Submission:
    """Send the answers to the buyer: every shown required question must be answered."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    found = _own_submission(membership, submission_id)
    return services.submission_submit(submission=found, by=request.auth)


@router.post(
    "/organisations/{org}/workspace/follow-ups/{follow_up_id}/reply",
    response={200: FollowUpOut, **ERRORS},
)
def follow_up_reply(request: ApiRequest, org: str, follow_up_id: Id, payload: ReplyIn) -> FollowUp:
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    found = get_scoped_or_404(
        Submission.objects.all(), membership, answers__follow_ups__pk=follow_up_id
    )
    asked = FollowUp.objects.select_related("answer__question", "answer__submission").get(
        pk=follow_up_id, answer__submission=found
    )
    return services.submission_reply(follow_up=asked, by=request.auth, reply=payload.reply)


@router.post(
    "/organisations/{org}/workspace/submissions/{submission_id}/shares",
    response={201: ShareOut, **ERRORS},
)
def submission_share(
    request: ApiRequest, org: str, submission_id: Id, payload: ShareIn
) -> Status[SubmissionShare]:
    """Consent to let another buyer the organisation works with read these answers."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    found = _own_submission(membership, submission_id)
    buyer = queries.buyers_of(membership.organisation).filter(slug=payload.buyer).first()
    if buyer is None:
        raise ValidationError({"buyer": _("Choose a buyer you work with on StoneBridge.")})
    share = services.submission_share(submission=found, buyer=buyer, by=request.auth)
    return Status(201, share)


@router.post(
    "/organisations/{org}/workspace/submissions/{submission_id}/unshare",
    response={200: ShareOut, **ERRORS},
)
def submission_unshare(
    request: ApiRequest, org: str, submission_id: Id, payload: ShareIn
) -> SubmissionShare:
    """Withdraw the consent given to a buyer: it reads these answers no more."""
    membership = membership_for(request.auth, org, needs=Role.EDITOR)
    found = _own_submission(membership, submission_id)
    share = found.shares.filter(buyer__slug=payload.buyer, withdrawn_at__isnull=True).first()
    if share is None:
        raise Http404
    return services.submission_unshare(share=share, by=request.auth)
