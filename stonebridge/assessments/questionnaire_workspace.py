"""The supplier's questionnaires in its workspace, in Chinese, on a phone: fill them in section
by section, save a draft, attach files, submit, reply to the buyer's follow-up questions and
share the same answers with the other buyers it works with (answer once, share many).

The supplier's organisation owns its answers: they are found through `access.py` as its own."""

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stonebridge.accounts.access import get_scoped_or_404, organisation_view
from stonebridge.accounts.models import Membership
from stonebridge.pages import PageRequest, org_context, paginate, submit
from stonebridge.pages import attachment as download

from . import exports
from . import questionnaire_forms as forms
from . import questionnaire_pages as pages
from . import questionnaire_queries as queries
from .models.questionnaires import AnswerFile, FollowUp, Submission
from .services import questionnaires as services


def _submission(membership: Membership, submission_id: int) -> Submission:
    return get_scoped_or_404(
        Submission.objects.select_related("version__questionnaire", "buyer"),
        membership,
        pk=submission_id,
    )


@organisation_view()
def submission_list(request: PageRequest, membership: Membership) -> HttpResponse:
    submissions = exports.supplier_submissions(membership, request.GET)
    return render(
        request,
        "assessments/workspace/questionnaires.html",
        org_context(membership, page=paginate(request, submissions)),
    )


def _sections(submission: Submission, items: list[pages.Item]) -> list[dict[str, Any]]:
    """The sections with a question to show, in order, with how many are answered."""
    found: dict[int, dict[str, Any]] = {}
    for item in items:
        section = item.question.section
        entry = found.setdefault(
            section.pk, {"section": section, "items": [], "answered": 0, "shown": 0}
        )
        entry["items"].append(item)
        if item.shown:
            entry["shown"] += 1
            entry["answered"] += item.answered
    return [entry for entry in found.values() if entry["shown"]]


def _index(request: PageRequest, count: int) -> int:
    try:
        index = int(request.GET.get("section") or 1)
    except ValueError:
        index = 1
    return min(max(index, 1), max(count, 1))


@organisation_view()
def submission_fill(
    request: PageRequest, membership: Membership, submission_id: int
) -> HttpResponse:
    submission = _submission(membership, submission_id)
    answers = pages.answers_of(submission)
    items = pages.items(submission.version, answers)
    sections = _sections(submission, items)
    index = _index(request, len(sections))
    here = sections[index - 1] if sections else {"items": [], "section": None}
    questions = [item.question for item in here["items"]]
    values = {name: answer.value for name, answer in answers.items()}
    form = forms.SectionForm(
        request.POST or None, request.FILES or None, questions=questions, answers=values
    )
    action = request.POST.get("action", "save")
    if submission.editable and membership.role != "viewer":

        def save(data: dict[str, Any]) -> Submission:
            saved = services.submission_save(
                submission=submission, by=request.user, answers=form.values(), files=form.uploads()
            )
            if action == "submit":
                return _send(saved, request, form, sections)
            return saved

        if submit(request, form, save) is not None:
            return _after_save(request, membership, submission, action, index, len(sections))
    follow_ups = FollowUp.objects.filter(answer__submission=submission).select_related(
        "answer__question", "organisation"
    )
    by_question: dict[str, list[FollowUp]] = {}
    for follow_up in follow_ups:
        by_question.setdefault(follow_up.answer.question.name, []).append(follow_up)
    for item in items:
        item.follow_ups = by_question.get(item.question.name, [])
        if item.question.name in form.fields:
            item.field = form[item.question.name]
    shares = submission.shares.filter(withdrawn_at__isnull=True).select_related("buyer")
    return render(
        request,
        "assessments/workspace/fill.html",
        org_context(
            membership,
            submission=submission,
            sections=sections,
            index=index,
            here=here,
            form=form,
            items=here["items"],
            plan_json=json.dumps(pages.plan_for(submission.version, list(form.questions))),
            saved_json=json.dumps({k: v for k, v in values.items() if k not in form.questions}),
            reply_form=forms.ReplyForm(),
            open_follow_ups=[f for f in follow_ups if not f.answered],
            share_form=forms.ShareForm(buyers=queries.buyers_to_share_with(submission)),
            shares=shares,
        ),
    )


def _send(
    submission: Submission,
    request: PageRequest,
    form: forms.SectionForm,
    sections: list[dict[str, Any]],
) -> Submission:
    """Send the answers; a question still to answer in another part is named, with the part,
    among the form's errors."""
    try:
        return services.submission_submit(submission=submission, by=request.user)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        part_of = {
            item.question.name: (number, item.question)
            for number, entry in enumerate(sections, start=1)
            for item in entry["items"]
        }
        here: dict[str, Any] = {}
        elsewhere = []
        for name, messages_ in error.message_dict.items():
            if name in form.fields or name not in part_of:
                here[name] = messages_
                continue
            number, question = part_of[name]
            elsewhere.append(
                _("Part %(number)s, “%(question)s”: %(message)s")
                % {"number": number, "question": question.label, "message": " ".join(messages_)}
            )
        if elsewhere:
            here[NON_FIELD_ERRORS] = elsewhere
        raise ValidationError(here) from error


def _after_save(
    request: PageRequest,
    membership: Membership,
    submission: Submission,
    action: str,
    index: int,
    count: int,
) -> HttpResponse:
    url = reverse(
        "assessments:workspace_submission",
        kwargs={"org": membership.organisation.slug, "submission_id": submission.pk},
    )
    if action == "submit":
        messages.success(request, _("Sent. Your buyer can now read your answers."))
        return redirect(url)
    if action == "next" and index < count:
        messages.success(request, _("Saved."))
        return redirect(f"{url}?section={index + 1}")
    messages.success(request, _("Saved as a draft. Only you see it until you send it."))
    return redirect(f"{url}?section={index}")


@organisation_view()
@require_POST
def reply(request: PageRequest, membership: Membership, follow_up_id: int) -> HttpResponse:
    submission = get_scoped_or_404(
        Submission.objects.all(), membership, answers__follow_ups__pk=follow_up_id
    )
    follow_up = FollowUp.objects.get(pk=follow_up_id, answer__submission=submission)
    form = forms.ReplyForm(request.POST)
    if (
        submit(
            request,
            form,
            lambda data: services.submission_reply(follow_up=follow_up, by=request.user, **data),
        )
        is not None
    ):
        messages.success(request, _("Your reply was sent."))
    else:
        messages.error(request, forms.refusal(form))
    return redirect(
        "assessments:workspace_submission",
        org=membership.organisation.slug,
        submission_id=submission.pk,
    )


@organisation_view()
@require_POST
def share(request: PageRequest, membership: Membership, submission_id: int) -> HttpResponse:
    """Let another buyer the supplier works with read the same answers."""
    submission = _submission(membership, submission_id)
    form = forms.ShareForm(request.POST, buyers=queries.buyers_to_share_with(submission))
    shared = submit(
        request,
        form,
        lambda data: services.submission_share(
            submission=submission, by=request.user, buyer=data["buyer"]
        ),
    )
    if shared is not None:
        messages.success(request, _("Shared. This buyer can now read these answers."))
    else:
        messages.error(request, forms.refusal(form))
    return redirect(
        "assessments:workspace_submission",
        org=membership.organisation.slug,
        submission_id=submission.pk,
    )


@organisation_view()
@require_POST
def unshare(request: PageRequest, membership: Membership, submission_id: int) -> HttpResponse:
    """Withdraw the consent given to a buyer: it reads these answers no more."""
    submission = _submission(membership, submission_id)
    chosen = request.POST.get("buyer", "")
    buyer = int(chosen) if chosen.isdigit() and len(chosen) < 19 else 0
    share = submission.shares.filter(buyer_id=buyer, withdrawn_at__isnull=True).first()
    if share is None:
        raise Http404
    services.submission_unshare(share=share, by=request.user)
    messages.success(request, _("This buyer no longer reads these answers."))
    return redirect(
        "assessments:workspace_submission",
        org=membership.organisation.slug,
        submission_id=submission.pk,
    )


@organisation_view()
def file(request: PageRequest, membership: Membership, file_id: int) -> HttpResponse:
    found = get_scoped_or_404(AnswerFile.objects.all(), membership, pk=file_id)
    return download(bytes(found.content), found.name, found.content_type)
