"""Worker surveys: the public page a worker answers on (no login, no cookie, works without
JavaScript), and the buyer's pages to make, close and read its surveys."""

from typing import Any

import segno
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from stonebridge.accounts.access import get_scoped_or_404, organisation_view
from stonebridge.accounts.models import Membership
from stonebridge.engagement import queries as engagement_queries
from stonebridge.engagement.models import Measure
from stonebridge.pages import PageRequest, attempt, org_context, paginate, submit

from . import disclosure, exports, limits
from .models import Survey
from .services import surveys
from .survey_forms import MeasureFromSurveysForm, SurveyForm

HONEYPOT = "website"


# --- the worker's page --------------------------------------------------------------------------


def _open_survey(survey_token: str) -> Survey:
    survey = Survey.objects.select_related("facility").filter(token=survey_token).first()
    if survey is None:
        raise Http404
    return survey


# A worker has no session to protect, and a CSRF token would put a cookie on their phone: the
# page sets none. Floods are held off by the rate limit and the hidden field.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def survey_public(request: HttpRequest, survey_token: str) -> HttpResponse:
    survey = _open_survey(survey_token)
    with translation.override("zh-hans"):
        if not survey.accepts_answers(timezone.localdate()):
            return render(request, "voice/survey_closed.html", {"survey": survey})
        errors: dict[str, list[str]] = {}
        picked: dict[str, str] = {}
        if request.method == "POST":
            if not limits.allow(request, "survey"):
                return render(request, "voice/survey_busy.html", {"survey": survey}, status=429)
            if request.POST.get(HONEYPOT):
                return redirect("voice:survey_thanks", survey_token=survey.token)
            picked = {k: v for k, v in request.POST.items() if isinstance(v, str)}
            try:
                surveys.response_submit(survey=survey, answers=picked)
            except surveys.SurveyClosed:
                return render(request, "voice/survey_closed.html", {"survey": survey})
            except ValidationError as error:
                errors = error.message_dict
            else:
                return redirect("voice:survey_thanks", survey_token=survey.token)
        questions = [
            {
                "question": q,
                "choices": list(q.choices.all()),
                "picked": picked.get(q.name, ""),
                "errors": errors.get(q.name, []),
            }
            for q in survey.questions.select_related("section")
            .prefetch_related("choices")
            .order_by("section__order", "order")
        ]
        context = {"survey": survey, "questions": questions, "errors": bool(errors)}
        return render(request, "voice/survey_public.html", context, status=400 if errors else 200)


@require_http_methods(["GET"])
def survey_thanks(request: HttpRequest, survey_token: str) -> HttpResponse:
    survey = _open_survey(survey_token)
    with translation.override("zh-hans"):
        return render(request, "voice/survey_thanks.html", {"survey": survey})


# --- the owner's pages --------------------------------------------------------------------------


def _surveys(membership: Membership) -> Any:
    return exports.surveys(membership, QueryDict())


@organisation_view()
def survey_list(request: PageRequest, membership: Membership) -> HttpResponse:
    relationships = engagement_queries.relationships_for(membership.organisation)
    form = SurveyForm(request.POST or None, relationships=relationships)
    made = submit(
        request,
        form,
        lambda data: surveys.survey_create(
            organisation=membership.organisation,
            by=request.user,
            facility=data["relationship"].facility,
            title=data["title"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
        ),
    )
    if made is not None:
        return redirect("voice:survey_detail", org=membership.organisation.slug, survey_id=made.pk)
    page = paginate(request, _surveys(membership))
    return render(request, "voice/survey_list.html", org_context(membership, form=form, page=page))


def public_link(request: HttpRequest, survey: Survey) -> str:
    return request.build_absolute_uri(
        reverse("voice:survey_public", kwargs={"survey_token": survey.token})
    )


@organisation_view()
def survey_detail(request: PageRequest, membership: Membership, survey_id: int) -> HttpResponse:
    survey = get_scoped_or_404(_surveys(membership), membership, pk=survey_id)
    link = public_link(request, survey)
    form = _measure_form(request, membership, survey)
    measured = submit(
        request,
        form,
        lambda data: surveys.measure_from_surveys(
            measure=data["measure"],
            by=request.user,
            before=data["before"],
            after=survey,
            question=data["answer"].split(":")[0],
            choice=data["answer"].split(":")[1],
        ),
    )
    if measured is not None:
        return redirect(
            "voice:survey_detail", org=membership.organisation.slug, survey_id=survey.pk
        )
    context = org_context(
        membership,
        survey=survey,
        link=link,
        qr=segno.make(link).svg_inline(scale=4, title=_("QR code of the link")),
        answered=survey.responses.count(),
        open_now=survey.accepts_answers(timezone.localdate()),
        form=form,
        error=request.GET.get("error", ""),
    )
    return render(request, "voice/survey_detail.html", context)


def _measure_form(
    request: HttpRequest, membership: Membership, survey: Survey
) -> MeasureFromSurveysForm:
    measures = Measure.objects.filter(
        kind=Measure.Kind.OUTCOME,
        action__plan__relationship__in=engagement_queries.relationships_for(
            membership.organisation
        ),
        action__plan__facility=survey.facility,
    ).select_related("action__plan")
    befores = _surveys(membership).filter(
        facility=survey.facility, opens_on__lt=survey.opens_on, closed_at__isnull=False
    )
    answers = [
        (f"{q.name}:{c.name}", f"{q.label} — {c.label}")
        for q in survey.questions.exclude(section__name="about_you")
        .prefetch_related("choices")
        .order_by("order")
        for c in q.choices.all()
    ]
    data = request.POST if request.method == "POST" else None
    return MeasureFromSurveysForm(data, measures=measures, befores=befores, answers=answers)


@organisation_view()
def survey_close(request: PageRequest, membership: Membership, survey_id: int) -> HttpResponse:
    survey = get_scoped_or_404(_surveys(membership), membership, pk=survey_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _done, refusal = attempt(lambda: surveys.survey_close(survey=survey, by=request.user))
    url = reverse(
        "voice:survey_detail", kwargs={"org": membership.organisation.slug, "survey_id": survey.pk}
    )
    return redirect(f"{url}?error=1" if refusal else url)


@organisation_view()
def survey_results(request: PageRequest, membership: Membership) -> HttpResponse:
    results = surveys.survey_results(organisation=membership.organisation)
    scopes = _scope_choices(results)
    scope = request.GET.get("scope") or disclosure.ALL
    if scope not in dict(scopes):
        raise Http404
    months = disclosure.scope_months(results.places).get(scope, ())
    period = request.GET.get("period") or disclosure.ALL
    if period != disclosure.ALL and period not in months:
        raise Http404
    node = (scope, period)
    context = org_context(
        membership,
        scopes=scopes,
        scope=scope,
        months=months,
        period=period,
        tables=_tables(results, node) if results.surveys else [],
        min_cell=disclosure.MIN_CELL,
    )
    return render(request, "voice/survey_results.html", context)


def _scope_choices(results: surveys.Results) -> list[tuple[str, str]]:
    found = [(disclosure.ALL, _("All facilities"))]
    facilities = {s.facility_id: s.facility for s in results.surveys}
    for facility_id, facility in facilities.items():
        found.append((disclosure.facility_scope(facility_id), str(facility)))
        found += [
            (disclosure.survey_scope(s.pk), f"— {s.title}")
            for s in results.surveys
            if s.facility_id == facility_id
        ]
    return found


def _tables(results: surveys.Results, node: disclosure.Node) -> list[dict[str, Any]]:
    """Each question's one-way table and its two-way tables by respondent group, with labels."""
    tables: list[dict[str, Any]] = []
    for question in [*results.questions, *results.groups]:
        choices = list(question.choices.all())
        one = disclosure.one_way(results.published, node, question.name, [c.name for c in choices])
        labels = {c.name: c.label for c in choices}
        tables.append(
            {
                "title": question.label,
                "rows": [(labels[name], value) for name, value in one.rows],
                "total": one.total,
                "splits": [_two_way(results, node, question, group) for group in results.groups]
                if question in results.questions
                else [],
            }
        )
    return tables


def _two_way(
    results: surveys.Results, node: disclosure.Node, question: Any, group: Any
) -> dict[str, Any]:
    choices = list(question.choices.all())
    members = list(group.choices.all())
    table = disclosure.two_way(
        results.published,
        node,
        question.name,
        [c.name for c in choices],
        group.name,
        [m.name for m in members],
    )
    labels = {c.name: c.label for c in choices}
    return {
        "title": group.label,
        "columns": [m.label for m in members],
        "rows": [(labels[name], cells, total) for name, cells, total in table.rows],
        "column_totals": table.column_totals,
        "total": table.total,
    }
