"""The questionnaire pages of a buyer or the covenant: its questionnaires and StoneBridge's own,
XLSForm import and export, publishing and new versions, sending one to a supplier it works with,
and reviewing the answers it received or that a supplier shared with it."""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stonebridge.accounts.access import (
    get_received_or_404,
    get_scoped_or_404,
    get_shared_or_404,
    organisation_view,
    received,
    scoped,
)
from stonebridge.accounts.models import Membership
from stonebridge.engagement import queries as engagement
from stonebridge.pages import PageRequest, attempt, org_context, paginate, submit
from stonebridge.pages import attachment as download

from . import exports
from . import questionnaire_forms as forms
from . import questionnaire_pages as pages
from . import questionnaire_queries as queries
from .models.questionnaires import AnswerFile, FollowUp, Questionnaire, Submission, Version
from .services import questionnaires as services


def visible(membership: Membership) -> QuerySet[Questionnaire]:
    """The organisation's own questionnaires, its covenant's and StoneBridge's."""
    return queries.questionnaires_for(membership.organisation)


def _questionnaire(membership: Membership, questionnaire_id: int) -> Questionnaire:
    return get_shared_or_404(visible(membership), pk=questionnaire_id)


def _own(membership: Membership, questionnaire_id: int) -> Questionnaire:
    """A questionnaire the organisation may change: its own, never one StoneBridge ships."""
    return get_scoped_or_404(Questionnaire.objects.all(), membership, pk=questionnaire_id)


def _received(membership: Membership, submission_id: int) -> Submission:
    return get_received_or_404(
        Submission.objects.select_related("version__questionnaire", "organisation", "buyer"),
        membership,
        pk=submission_id,
    )


def _back(membership: Membership, questionnaire: Questionnaire) -> HttpResponse:
    return redirect(
        "assessments:questionnaire",
        org=membership.organisation.slug,
        questionnaire_id=questionnaire.pk,
    )


@organisation_view()
def questionnaire_list(request: PageRequest, membership: Membership) -> HttpResponse:
    questionnaires, search = exports.filtered_questionnaires(membership, request.GET)
    return render(
        request,
        "assessments/questionnaires.html",
        org_context(membership, search=search, page=paginate(request, questionnaires)),
    )


@organisation_view()
def questionnaire_import(request: PageRequest, membership: Membership) -> HttpResponse:
    """A new questionnaire from a file, or (?questionnaire=) a new draft version of one of the
    organisation's own, replacing its unpublished draft."""
    chosen = request.GET.get("questionnaire", "")
    into = _own(membership, int(chosen)) if chosen.isdigit() and len(chosen) < 19 else None
    form = forms.ImportForm(request.POST or None, request.FILES or None)

    def call(data: dict[str, Any]) -> Any:
        upload = data["file"]
        return services.questionnaire_import(
            owner=membership.organisation,
            by=request.user,
            content=upload.read(),
            questionnaire=into,
        )

    imported = submit(request, form, call)
    if imported is not None:
        messages.success(request, _("Imported as a draft. Check it, then publish it."))
        return _back(membership, imported.questionnaire)
    return render(request, "assessments/import.html", org_context(membership, form=form, into=into))


def _version(
    membership: Membership, questionnaire: Questionnaire, number: str | None
) -> Version | None:
    versions = queries.readable_versions(questionnaire, membership.organisation)
    if number and number.isdigit():
        return versions.filter(number=int(number)).first() if len(number) < 5 else None
    return versions.first()


@organisation_view()
def questionnaire(
    request: PageRequest, membership: Membership, questionnaire_id: int
) -> HttpResponse:
    found = _questionnaire(membership, questionnaire_id)
    version = _version(membership, found, request.GET.get("version"))
    published = found.latest_published()
    relationships = engagement.relationships_for(membership.organisation).filter(
        supplier__isnull=False, supplier_accepted_at__isnull=False
    )
    return render(
        request,
        "assessments/questionnaire.html",
        org_context(
            membership,
            questionnaire=found,
            own=found.owner_id == membership.organisation.pk,
            version=version,
            versions=queries.readable_versions(found, membership.organisation),
            published=published,
            items=pages.items(version, {}) if version else [],
            send_form=forms.SendForm(relationships=relationships),
            sent=received(Submission.objects.filter(version__questionnaire=found), membership)
            .select_related("organisation", "version")
            .order_by("-started_at")[:20],
        ),
    )


@organisation_view()
def questionnaire_export(
    request: PageRequest, membership: Membership, questionnaire_id: int
) -> HttpResponse:
    found = _questionnaire(membership, questionnaire_id)
    version = _version(membership, found, request.GET.get("version"))
    if version is None:
        raise Http404
    content = queries.questionnaire_export(version=version)
    name = f"{found.slug}-v{version.number}.xlsx"
    return download(
        content, name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


@organisation_view()
@require_POST
def questionnaire_publish(
    request: PageRequest, membership: Membership, questionnaire_id: int
) -> HttpResponse:
    found = _own(membership, questionnaire_id)
    draft = found.draft()
    if draft is None:
        raise Http404
    done, refusal = attempt(lambda: services.questionnaire_publish(version=draft, by=request.user))
    if done is None:
        messages.error(request, refusal)
    else:
        messages.success(request, _("Published. You can now send it to suppliers."))
    return _back(membership, found)


@organisation_view()
@require_POST
def questionnaire_new_version(
    request: PageRequest, membership: Membership, questionnaire_id: int
) -> HttpResponse:
    found = _own(membership, questionnaire_id)
    done, refusal = attempt(
        lambda: services.questionnaire_new_version(questionnaire=found, by=request.user)
    )
    if done is None:
        messages.error(request, refusal)
    else:
        messages.success(
            request, _("A new draft version was made. Import its questions or publish it.")
        )
    return _back(membership, found)


@organisation_view()
@require_POST
def questionnaire_send(
    request: PageRequest, membership: Membership, questionnaire_id: int
) -> HttpResponse:
    found = _questionnaire(membership, questionnaire_id)
    version = found.latest_published()
    relationships = engagement.relationships_for(membership.organisation).filter(
        supplier__isnull=False, supplier_accepted_at__isnull=False
    )
    form = forms.SendForm(request.POST, relationships=relationships)
    if version is None:
        messages.error(request, _("Publish the questionnaire before sending it."))
        return _back(membership, found)

    def call(data: dict[str, Any]) -> Submission:
        relationship = data["relationship"]
        return services.submission_start(
            version=version,
            organisation=relationship.supplier,
            buyer=membership.organisation,
            facilities=[relationship.facility],
            by=request.user,
        )

    if submit(request, form, call) is not None:
        messages.success(request, _("Sent. The supplier finds it in its workspace."))
    else:
        messages.error(request, forms.refusal(form))
    return _back(membership, found)


@organisation_view()
def submission_list(request: PageRequest, membership: Membership) -> HttpResponse:
    submissions = exports.submissions(membership, request.GET)
    return render(
        request,
        "assessments/submissions.html",
        org_context(membership, page=paginate(request, submissions)),
    )


@organisation_view()
def submission(request: PageRequest, membership: Membership, submission_id: int) -> HttpResponse:
    found = _received(membership, submission_id)
    items = [item for item in pages.items(found.version, pages.answers_of(found)) if item.shown]
    asked: dict[int, list[FollowUp]] = {}
    for follow_up in scoped(FollowUp.objects.filter(answer__submission=found), membership):
        asked.setdefault(follow_up.answer_id, []).append(follow_up)
    for item in items:
        item.follow_ups = asked.get(item.answer.pk, []) if item.answer else []
    share = found.shares.filter(buyer=membership.organisation, withdrawn_at__isnull=True).first()
    return render(
        request,
        "assessments/submission.html",
        org_context(
            membership,
            submission=found,
            items=items,
            age=pages.age(found),
            stale=pages.stale(found),
            addressed=found.buyer_id == membership.organisation.pk,
            share=share,
            accepted=(share.accepted_at if share else found.accepted_at),
            follow_up_form=forms.FollowUpForm(),
        ),
    )


@organisation_view()
@require_POST
def follow_up(request: PageRequest, membership: Membership, answer_id: int) -> HttpResponse:
    found = get_received_or_404(Submission.objects.all(), membership, answers__pk=answer_id)
    answer = found.answers.get(pk=answer_id)
    form = forms.FollowUpForm(request.POST)
    asked = submit(
        request,
        form,
        lambda data: services.submission_follow_up(
            answer=answer, buyer=membership.organisation, by=request.user, **data
        ),
    )
    if asked is not None:
        messages.success(request, _("Your question was sent to the supplier."))
    else:
        messages.error(request, forms.refusal(form))
    return redirect(
        "assessments:submission", org=membership.organisation.slug, submission_id=found.pk
    )


@organisation_view()
@require_POST
def submission_accept(
    request: PageRequest, membership: Membership, submission_id: int
) -> HttpResponse:
    found = _received(membership, submission_id)
    done, refusal = attempt(
        lambda: services.submission_accept(
            submission=found, buyer=membership.organisation, by=request.user
        )
    )
    if done is None:
        messages.error(request, refusal)
    else:
        messages.success(
            request,
            _("Accepted. Answers that point to a problem are now evidence in your risk register."),
        )
    return redirect(
        "assessments:submission", org=membership.organisation.slug, submission_id=found.pk
    )


@organisation_view()
def file(request: PageRequest, membership: Membership, file_id: int) -> HttpResponse:
    found = get_received_or_404(Submission.objects.all(), membership, answers__files__pk=file_id)
    attached = AnswerFile.objects.get(pk=file_id, answer__submission=found)
    return download(bytes(attached.content), attached.name, attached.content_type)
