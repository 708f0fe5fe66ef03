"""The questionnaire editor: a blank questionnaire, then sections, questions and choices added
to or removed from its draft version. A published version cannot be changed (404)."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from stonebridge.accounts.access import get_scoped_or_404, organisation_view
from stonebridge.accounts.models import Membership
from stonebridge.pages import PageRequest, attempt, org_context, submit

from . import questionnaire_editor_forms as forms
from .models.questionnaires import Question, Questionnaire, Section, Version
from .services import questionnaire_editing as services


def _draft(request: PageRequest, membership: Membership, questionnaire_id: int) -> Version | None:
    """The draft of one of the organisation's own questionnaires; None (and a message saying
    why) when every version is published."""
    found = get_scoped_or_404(Questionnaire.objects.all(), membership, pk=questionnaire_id)
    draft = found.draft()
    if draft is None:
        messages.error(request, _("This version is published: start a new version to change it."))
    return draft


def _published(membership: Membership, questionnaire_id: int) -> HttpResponse:
    return redirect(
        "assessments:questionnaire",
        org=membership.organisation.slug,
        questionnaire_id=questionnaire_id,
    )


def _edit(membership: Membership, version: Version) -> HttpResponse:
    return redirect(
        "assessments:questionnaire_edit",
        org=membership.organisation.slug,
        questionnaire_id=version.questionnaire_id,
    )


@organisation_view()
def questionnaire_new(request: PageRequest, membership: Membership) -> HttpResponse:
    form = forms.QuestionnaireForm(request.POST or None)
    made = submit(
        request,
        form,
        lambda data: services.questionnaire_create(
            owner=membership.organisation, by=request.user, **data
        ),
    )
    if made is not None:
        messages.success(request, _("Made as a draft. Add its sections and questions."))
        return _edit(membership, made)
    return render(request, "assessments/questionnaire_new.html", org_context(membership, form=form))


@organisation_view()
def questionnaire_edit(
    request: PageRequest, membership: Membership, questionnaire_id: int
) -> HttpResponse:
    """The draft version with a form for each thing to add; the posted one is named `add`."""
    version = _draft(request, membership, questionnaire_id)
    if version is None:
        return _published(membership, questionnaire_id)
    sections = version.sections.order_by("order")
    questions = version.ordered_questions()
    adding = request.POST.get("add", "") if request.method == "POST" else ""
    posted = request.POST if request.method == "POST" else None
    section_form = forms.SectionForm(posted if adding == "section" else None, prefix="section")
    question_form = forms.QuestionForm(
        posted if adding == "question" else None, prefix="question", sections=sections
    )
    choice_form = forms.ChoiceForm(
        posted if adding == "choice" else None,
        prefix="choice",
        questions=questions.filter(kind__in=services.CHOICE_KINDS),
    )
    calls: dict[str, tuple[Any, Any]] = {
        "section": (
            section_form,
            lambda d: services.section_add(version=version, by=request.user, **d),
        ),
        "question": (
            question_form,
            lambda d: services.question_add(by=request.user, **d),
        ),
        "choice": (choice_form, lambda d: services.choice_add(by=request.user, **d)),
    }
    if adding in calls:
        form, call = calls[adding]
        if submit(request, form, call) is not None:
            messages.success(request, _("Added."))
            return _edit(membership, version)
    return render(
        request,
        "assessments/questionnaire_edit.html",
        org_context(
            membership,
            version=version,
            questionnaire=version.questionnaire,
            sections=sections.prefetch_related("questions__choices"),
            section_form=section_form,
            question_form=question_form,
            choice_form=choice_form,
        ),
    )


@organisation_view()
def questionnaire_remove(
    request: PageRequest, membership: Membership, questionnaire_id: int
) -> HttpResponse:
    """Ask, then remove a question (?question=) or a whole section (?section=) of the draft."""
    version = _draft(request, membership, questionnaire_id)
    if version is None:
        return _published(membership, questionnaire_id)
    source = request.POST if request.method == "POST" else request.GET
    chosen: Question | Section | None = None
    for key, model in (("question", Question), ("section", Section)):
        value = source.get(key, "")
        if value.isdigit() and len(value) < 19:
            lookup = "section__version" if model is Question else "version"
            chosen = model.objects.filter(pk=int(value), **{lookup: version}).first()
    if chosen is None:
        return _edit(membership, version)
    if request.method == "POST":
        done, refusal = attempt(
            lambda: (
                services.question_delete(question=chosen, by=request.user)
                if isinstance(chosen, Question)
                else services.section_delete(section=chosen, by=request.user)
            )
        )
        if done is None:
            messages.error(request, refusal)
        else:
            messages.success(request, _("Removed."))
        return _edit(membership, version)
    return render(
        request,
        "assessments/questionnaire_remove.html",
        org_context(
            membership, version=version, chosen=chosen, section=isinstance(chosen, Section)
        ),
    )
