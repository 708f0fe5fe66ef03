"""The pages a worker opens without an account: the grievance form of a facility, the receipt,
and the case found again with the receipt code.

Always in Chinese, usable with JavaScript off, never cached. No session and no cookie: the
forms are exempt from the CSRF cookie (a forged post could only file a case, which the rate
limit bounds, or needs the receipt code it cannot know), and the receipt code travels in the
forms' hidden fields rather than in anything the phone or the server keeps.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import limits, receipts
from .intake_forms import YES, FeedbackForm, IntakeForm, ReceiptForm, ReplyForm
from .media import PHOTO_MAX_BYTES, VOICE_MAX_BYTES
from .models import Case, CaseState, Channel, RoutingKind, Sender
from .services.intake import Locked, case_open, case_submit, routes_open
from .services.worker import worker_feedback, worker_reply

WORKER_LANGUAGE = "zh-hans"
# A photo and a voice message at their largest, and the words around them.
MAX_POST_BYTES = PHOTO_MAX_BYTES + VOICE_MAX_BYTES + 1024 * 1024


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A worker page: Chinese, not cached anywhere, no CSRF cookie, GET and POST only."""

    @csrf_exempt
    @never_cache
    @require_http_methods(["GET", "POST"])
    @wraps(view)
    def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        with translation.override(WORKER_LANGUAGE):
            return view(request, **kwargs)

    return wrapper


def too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "voice/public_too_many.html", status=429)


def _apply(form: Any, error: ValidationError) -> None:
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


@public_page
def intake(request: HttpRequest, channel_token: str) -> HttpResponse:
    channel = Channel.objects.select_related("facility").filter(token=channel_token).first()
    if channel is None:
        raise Http404
    if request.method == "POST" and not limits.allow(request, "submit"):
        return too_many(request)
    length = str(request.META.get("CONTENT_LENGTH") or "0")
    if length.isdigit() and int(length) > MAX_POST_BYTES:
        # Refused before Django spools the upload to disk.
        return render(request, "voice/public_too_large.html", status=413)
    form = IntakeForm(request.POST or None, request.FILES or None, channel=channel)
    if request.method == "POST" and form.is_valid():
        try:
            case, secret = case_submit(channel=channel, **form.service_values())  # type: ignore[arg-type]
        except ValidationError as error:
            _apply(form, error)
        else:
            return render(
                request,
                "voice/public_receipt.html",
                {
                    "number": case.number,
                    "secret": receipts.grouped(secret),
                    "acknowledge_by": case.acknowledge_by,
                },
            )
    return render(
        request,
        "voice/public_intake.html",
        {
            "facility": channel.facility,
            "form": form,
            "routes": [str(route) for route in routes_open(channel)],
        },
        status=400 if form.errors else 200,
    )


# What each state means for the worker, in their words.
STATE_WORDS = {
    CaseState.RECEIVED: gettext_noop("Your message has arrived. Nobody has answered yet."),
    CaseState.ACKNOWLEDGED: gettext_noop("Someone has read your message and will look into it."),
    CaseState.IN_PROGRESS: gettext_noop("Someone is working on your case."),
    CaseState.RESOLVED: gettext_noop("There is an answer. Tell us if you are satisfied."),
    CaseState.CLOSED: gettext_noop("The case is closed."),
}


@public_page
def case(request: HttpRequest) -> HttpResponse:
    receipt = ReceiptForm(request.POST or None)
    if request.method != "POST":
        return render(request, "voice/public_case_open.html", {"form": receipt})
    if not limits.allow(request, "receipt"):
        return too_many(request)
    found = None
    if receipt.is_valid():
        try:
            found = case_open(
                number=receipt.cleaned_data["number"], secret=receipt.cleaned_data["secret"]
            )
        except Locked:
            return render(request, "voice/public_locked.html", status=429)
        if found is None:
            # The same words whether the number or the code was wrong: nobody learns which
            # case numbers exist.
            receipt.add_error(None, _wrong_code())
    if found is None:
        return render(request, "voice/public_case_open.html", {"form": receipt}, status=400)
    return _case_page(request, found, receipt)


def _wrong_code() -> str:
    return translation.gettext("The case number or the receipt code is not right. Try again.")


def _case_page(request: HttpRequest, found: Case, receipt: ReceiptForm) -> HttpResponse:
    action = request.POST.get("do", "")
    reply = ReplyForm(request.POST if action == "reply" else None)
    feedback = FeedbackForm(request.POST if action == "feedback" else None)
    done = ""
    try:
        if action == "reply" and reply.is_valid():
            worker_reply(case=found, text=reply.cleaned_data["text"])
            reply, done = ReplyForm(), "reply"
        elif action == "feedback" and feedback.is_valid():
            worker_feedback(
                case=found,
                satisfied=feedback.cleaned_data["satisfied"] == YES,
                view=feedback.cleaned_data["view"],
            )
            done = "feedback"
    except ValidationError as error:
        _apply(reply if action == "reply" else feedback, error)
    messages = list(found.messages.filter(internal=False))
    kinds = dict(found.routings.values_list("organisation_id", "kind"))
    for message in messages:
        message.from_kind = kinds.get(message.organisation_id or 0, "")  # type: ignore[attr-defined]
    last_handler = next((m for m in reversed(messages) if m.sender == Sender.HANDLER), None)
    return render(
        request,
        "voice/public_case.html",
        {
            "case": found,
            "state_words": translation.gettext(STATE_WORDS[CaseState(found.state)]),
            "messages": messages,
            "asked": last_handler is not None
            and last_handler.question
            and (messages[-1] is last_handler),
            "receipt": receipt.cleaned_data,
            "reply": reply,
            "feedback": feedback,
            "done": done,
            "kinds": RoutingKind,
        },
    )
