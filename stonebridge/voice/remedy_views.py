"""Remedies: the buyer's list, each remedy with its milestones and verification, and the forms
that open, advance and verify one. The supplier a remedy concerns reads the same list and pages
under its own organisation, without the forms; both still do after the relationship ends."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stonebridge.accounts.access import (
    get_scoped_or_404,
    get_visible_or_404,
    organisation_view,
)
from stonebridge.accounts.models import Membership
from stonebridge.pages import PageRequest, attempt, org_context, paginate, submit

from . import exports
from . import procedure_forms as forms
from .models import Remedy
from .services import remedies


@organisation_view()
def remedy_list(request: PageRequest, membership: Membership) -> HttpResponse:
    found, filters = exports.filtered_remedies(membership, request.GET)
    return render(
        request,
        "voice/remedies.html",
        org_context(membership, page=paginate(request, found, 25), filters=filters),
    )


@organisation_view()
def remedy_new(request: PageRequest, membership: Membership) -> HttpResponse:
    organisation = membership.organisation
    form = forms.RemedyForm(request.POST or None, organisation=organisation)
    made = submit(
        request,
        form,
        lambda data: remedies.remedy_open(organisation=organisation, by=request.user, **data),
    )
    if made is not None:
        messages.success(request, _("The remedy is opened. Add its milestones."))
        return redirect("voice:remedy", org=organisation.slug, remedy_id=made.pk)
    return render(
        request,
        "voice/procedure_form.html",
        org_context(membership, form=form, title=_("Open a remedy")),
    )


@organisation_view()
def remedy(request: PageRequest, membership: Membership, remedy_id: int) -> HttpResponse:
    found = get_visible_or_404(
        Remedy.objects.select_related("facility", "organisation", "case", "plan"),
        membership,
        pk=remedy_id,
    )
    own = found.organisation_id == membership.organisation_id
    return render(
        request,
        "voice/remedy.html",
        org_context(
            membership,
            remedy=found,
            own=own,
            today=timezone.localdate(),
            milestones=found.milestones.all(),
            milestone_form=forms.MilestoneForm() if own else None,
        ),
    )


def _own(membership: Membership, remedy_id: int) -> Remedy:
    return get_scoped_or_404(Remedy.objects.all(), membership, pk=remedy_id)


@organisation_view()
@require_POST
def milestone_add(request: PageRequest, membership: Membership, remedy_id: int) -> HttpResponse:
    found = _own(membership, remedy_id)
    form = forms.MilestoneForm(request.POST)
    made = submit(
        request, form, lambda data: remedies.milestone_add(remedy=found, by=request.user, **data)
    )
    if made is None:
        return render(
            request,
            "voice/remedy.html",
            org_context(
                membership,
                remedy=found,
                own=True,
                today=timezone.localdate(),
                milestones=found.milestones.all(),
                milestone_form=form,
            ),
            status=422,
        )
    return redirect("voice:remedy", org=membership.organisation.slug, remedy_id=found.pk)


@organisation_view()
@require_POST
def milestone_done(request: PageRequest, membership: Membership, remedy_id: int) -> HttpResponse:
    found = _own(membership, remedy_id)
    milestone_id = _int(request.POST.get("milestone"))
    milestone = found.milestones.filter(pk=milestone_id).first() if milestone_id else None
    if milestone is None:
        raise Http404
    _done, error = attempt(lambda: remedies.milestone_done(milestone=milestone, by=request.user))
    if error:
        messages.error(request, error)
    return redirect("voice:remedy", org=membership.organisation.slug, remedy_id=found.pk)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 18 else None


@organisation_view()
def remedy_verify(request: PageRequest, membership: Membership, remedy_id: int) -> HttpResponse:
    found = _own(membership, remedy_id)
    form = forms.VerifyForm(request.POST or None)
    verified = submit(
        request, form, lambda data: remedies.remedy_verify(remedy=found, by=request.user, **data)
    )
    if verified is not None:
        messages.success(request, _("The remedy is verified."))
        return redirect("voice:remedy", org=membership.organisation.slug, remedy_id=found.pk)
    return render(
        request,
        "voice/procedure_form.html",
        org_context(membership, form=form, title=_("Verify the remedy"), back=found),
    )
