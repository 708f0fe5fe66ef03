"""The case pages of every organisation a grievance is routed to: the list in triage order, a
case with its timeline and each handling step, its photo and voice, and the learning dashboard.
Anyone else gets a 404 (`access.received`)."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from stonebridge.accounts.access import get_received_or_404, organisation_view, received
from stonebridge.accounts.models import Membership
from stonebridge.pages import PageRequest, org_context, paginate, submit

from . import case_forms as f
from . import case_queries as queries
from . import exports
from .models import Attachment, Case, CaseState, IdentityReveal, Routing
from .services import handling

PER_PAGE = 25


def _facilities(membership: Membership) -> Any:
    return exports.case_facilities(membership)


@organisation_view()
def case_list(request: PageRequest, membership: Membership) -> HttpResponse:
    """The organisation's cases, imminent danger and children first, then the oldest."""
    cases, form = exports.filtered_cases(membership, request.GET)
    page = paginate(request, cases, PER_PAGE)
    return render(request, "voice/cases.html", org_context(membership, form=form, page=page))


# Each step on the case page: its form, and how a valid form calls the service.
Step = tuple[type[forms.Form], Callable[..., Any], str]


def _steps() -> dict[str, Step]:
    return {
        "acknowledge": (
            f.AcknowledgeForm,
            lambda c, o, u, d: handling.case_acknowledge(case=c, organisation=o, by=u),
            _("The worker is told the case was received."),
        ),
        "triage": (
            f.TriageForm,
            lambda c, o, u, d: handling.case_triage(case=c, organisation=o, by=u, **d),
            _("The triage was saved."),
        ),
        "assign": (
            f.AssignForm,
            lambda c, o, u, d: handling.case_assign(case=c, organisation=o, by=u, **d),
            _("The handler was saved."),
        ),
        "message": (
            f.MessageForm,
            lambda c, o, u, d: handling.case_message(case=c, organisation=o, by=u, **d),
            _("The message was sent to the worker."),
        ),
        "note": (
            f.NoteForm,
            lambda c, o, u, d: handling.case_note(case=c, organisation=o, by=u, **d),
            _("The note was saved."),
        ),
        "transcribe": (
            f.TranscribeForm,
            lambda c, o, u, d: handling.voice_transcribe(case=c, organisation=o, by=u, **d),
            _("The voice message was written down and deleted."),
        ),
        "link": (
            f.LinkForm,
            lambda c, o, u, d: handling.case_link(case=c, organisation=o, by=u, **d),
            _("The links were saved."),
        ),
        "resolve": (
            f.ResolveForm,
            lambda c, o, u, d: handling.case_resolve(case=c, organisation=o, by=u, **d),
            _("The answer was sent to the worker."),
        ),
        "close": (
            f.CloseForm,
            lambda c, o, u, d: handling.case_close(
                case=c,
                organisation=o,
                by=u,
                unfounded=d["unfounded"],
                worker_satisfied={"yes": True, "no": False}.get(d["worker_satisfied"]),
            ),
            _("The case was closed."),
        ),
        "reopen": (
            f.ReopenForm,
            lambda c, o, u, d: handling.case_reopen(case=c, organisation=o, by=u, **d),
            _("The case was reopened."),
        ),
    }


def _bound(
    call: Callable[..., Any], case: Case, org: Any, user: Any
) -> Callable[[dict[str, Any]], Any]:
    return lambda data: call(case, org, user, data)


def _form(name: str, cls: type[forms.Form], data: Any, case: Case, membership: Membership):
    extra: dict[str, Any] = {}
    if cls is f.AssignForm:
        extra = {"organisation": membership.organisation}
    if cls is f.LinkForm:
        extra = {"organisation": membership.organisation, "facility": case.facility}
    return cls(data, prefix=name, **extra)


@never_cache
@organisation_view()
def case_detail(request: PageRequest, membership: Membership, case_id: int) -> HttpResponse:
    """A case: its facts, the timeline, and a form for each step. POST carries `action`, the
    step; the worker's identity shows only in the answer to a reveal with a reason."""
    org = membership.organisation
    case = get_received_or_404(
        Case.objects.select_related("facility", "issue", "channel"), membership, pk=case_id
    )
    steps = _steps()
    action = request.POST.get("action", "")
    posted = request.method == "POST"
    if posted and action not in steps and action != "reveal":
        raise Http404
    shown = None
    reveal = f.RevealForm(request.POST if action == "reveal" else None, prefix="reveal")
    if action == "reveal":
        shown = submit(
            request,
            reveal,
            lambda d: handling.identity_reveal(
                case=case, organisation=org, by=request.user, reason=d["reason"]
            ),
        )
    forms_ = {}
    for name, (cls, call, done) in steps.items():
        form = _form(name, cls, request.POST if action == name else None, case, membership)
        forms_[name] = form
        if action == name and submit(request, form, _bound(call, case, org, request.user)):
            messages.success(request, done)
            return redirect("voice:case_detail", org=org.slug, case_id=case.pk)
    routing = Routing.objects.select_related("case", "assigned_to", "finding", "plan").get(
        case=case, organisation=org
    )
    if not posted:
        forms_["triage"].initial = {
            "issue": case.issue_id,
            "severity": case.severity,
            "urgency": case.urgency,
        }
        forms_["assign"].initial = {"assigned_to": routing.assigned_to_id}
        forms_["link"].initial = {"finding": routing.finding_id, "plan": routing.plan_id}
    timeline = case.messages.filter(Q(internal=False) | Q(organisation=org)).select_related(
        "organisation", "author"
    )
    context = org_context(
        membership,
        case=case,
        routing=routing,
        timeline=timeline,
        files=Attachment.objects.filter(case=case).defer("content"),
        reveals=IdentityReveal.objects.filter(case=case, organisation=org).select_related("user"),
        forms=forms_,
        reveal=reveal,
        shown=shown,
        state=CaseState,
    )
    return render(
        request, "voice/case.html", context, status=422 if posted and shown is None else 200
    )


@never_cache
@organisation_view()
def case_file(
    request: PageRequest, membership: Membership, case_id: int, case_file_id: int
) -> HttpResponse:
    """A case's photo or voice message, for its recipients only, never kept by a browser or
    proxy."""
    case = get_received_or_404(Case.objects.all(), membership, pk=case_id)
    found = Attachment.objects.filter(case=case, pk=case_file_id).first()
    if found is None:
        raise Http404
    response = HttpResponse(bytes(found.content), content_type=found.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@organisation_view()
def case_learning(request: PageRequest, membership: Membership) -> HttpResponse:
    """What the organisation's cases teach: counts by issue, facility and month."""
    cases = received(Case.objects.all(), membership)
    form = f.LearningForm(request.GET or None, facilities=_facilities(membership))
    if form.is_valid():
        data = form.cleaned_data
        if data["since"]:
            cases = cases.filter(received_at__date__gte=data["since"])
        if data["until"]:
            cases = cases.filter(received_at__date__lte=data["until"])
        if data["facility"]:
            cases = cases.filter(facility=data["facility"])
    tables = queries.learning(cases)
    return render(request, "voice/learning.html", org_context(membership, form=form, tables=tables))
