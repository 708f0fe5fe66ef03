"""The buyer's pages for one action of a plan: its thread of reports and comments with their
files, its measures and readings, and the due dates the supplier proposes."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from stonebridge.accounts.access import get_scoped_or_404, organisation_view
from stonebridge.accounts.models import Membership
from stonebridge.pages import PageRequest, org_context, submit
from stonebridge.pages import attachment as download

from . import forms, queries
from .models import Action, Attachment, DueDateChange, Measure, Reading
from .services import measures, plans

BUTTONS = ("targets_form", "confirm_form", "decide_form", "achieved_form")


def _action(membership: Membership, action_id: int) -> Action:
    return get_scoped_or_404(
        Action.objects.select_related("plan__relationship__supplier", "plan__facility", "issue"),
        membership,
        pk=action_id,
    )


def _measure(membership: Membership, measure_id: int) -> Measure:
    return get_scoped_or_404(
        Measure.objects.select_related("action__plan__relationship"),
        membership,
        pk=measure_id,
    )


def action_page(
    request: PageRequest, membership: Membership, action: Action, **bound: Any
) -> HttpResponse:
    """The action with its measures, the thread of reports and the buyer's forms; a form that
    failed comes back bound, with its errors and what was typed."""
    page_forms = {
        "comment_form": forms.CommentForm(),
        "verify_form": forms.NoteForm(),
        "cancel_form": forms.ReasonForm(),
        "measure_form": forms.MeasureForm(),
        "reading_form": forms.BuyerReadingForm(initial={"measured_on": timezone.localdate()}),
        "achieved_form": forms.AchievedForm(initial={"achieved_on": timezone.localdate()}),
        **bound,
    }
    return render(
        request,
        "engagement/action.html",
        org_context(membership, side="buyer", **queries.action_page(request, action), **page_forms),
    )


@organisation_view()
def action(request: PageRequest, membership: Membership, action_id: int) -> HttpResponse:
    return action_page(request, membership, _action(membership, action_id))


def _action_post(
    request: PageRequest,
    membership: Membership,
    action: Action,
    form: Any,
    name: str,
    call: Any,
    done: str,
) -> HttpResponse:
    if submit(request, form, call) is not None:
        messages.success(request, done)
        if isinstance(form, forms.SupplierTextForm):
            form.warn_without_chinese(request)
        return redirect("engagement:action", org=membership.organisation.slug, action_id=action.pk)
    if name in BUTTONS:
        # Forms drawn as a button or a field or two beside each item show no error list.
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return action_page(request, membership, action, **{name: form})


@organisation_view()
def action_comment(request: PageRequest, membership: Membership, action_id: int) -> HttpResponse:
    action = _action(membership, action_id)
    return _action_post(
        request,
        membership,
        action,
        forms.CommentForm(request.POST or None),
        "comment_form",
        lambda data: plans.update_post(
            action=action,
            by=request.user,
            by_supplier=False,
            text=data["text"],
            status=Action.Status.IN_PROGRESS if data["send_back"] else "",
        ),
        _("Your comment was sent to the supplier."),
    )


@organisation_view()
def action_edit(request: PageRequest, membership: Membership, action_id: int) -> HttpResponse:
    action = _action(membership, action_id)
    form = forms.ActionEditForm(
        request.POST or None, instance=action, relationship=action.plan.relationship
    )
    if (
        submit(
            request, form, lambda data: plans.action_update(action=action, by=request.user, **data)
        )
        is not None
    ):
        messages.success(request, _("The action was changed."))
        form.warn_without_chinese(request)
        return redirect("engagement:action", org=membership.organisation.slug, action_id=action.pk)
    return render(
        request,
        "engagement/form.html",
        org_context(membership, form=form, title=_("Change the action"), plan=action.plan),
    )


@organisation_view()
def action_verify(request: PageRequest, membership: Membership, action_id: int) -> HttpResponse:
    action = _action(membership, action_id)
    return _action_post(
        request,
        membership,
        action,
        forms.NoteForm(request.POST or None),
        "verify_form",
        lambda data: plans.action_verify(action=action, by=request.user, note=data["note"]),
        _("Verified. The risk register counts it as remediation."),
    )


@organisation_view()
def action_cancel(request: PageRequest, membership: Membership, action_id: int) -> HttpResponse:
    action = _action(membership, action_id)
    return _action_post(
        request,
        membership,
        action,
        forms.ReasonForm(request.POST or None),
        "cancel_form",
        lambda data: plans.action_cancel(action=action, by=request.user, reason=data["reason"]),
        _("The action was cancelled."),
    )


@organisation_view()
def measure_add(request: PageRequest, membership: Membership, action_id: int) -> HttpResponse:
    action = _action(membership, action_id)
    return _action_post(
        request,
        membership,
        action,
        forms.MeasureForm(request.POST or None),
        "measure_form",
        lambda data: measures.measure_add(action=action, by=request.user, **data),
        _("The measure was added."),
    )


@organisation_view()
def measure_targets(request: PageRequest, membership: Membership, measure_id: int) -> HttpResponse:
    measure = _measure(membership, measure_id)
    return _action_post(
        request,
        membership,
        measure.action,
        forms.TargetsForm(request.POST or None, instance=measure),
        "targets_form",
        lambda data: measures.measure_set_targets(measure=measure, by=request.user, **data),
        _("Baseline and target saved."),
    )


@organisation_view()
def reading_record(request: PageRequest, membership: Membership, measure_id: int) -> HttpResponse:
    measure = _measure(membership, measure_id)
    return _action_post(
        request,
        membership,
        measure.action,
        forms.BuyerReadingForm(request.POST or None),
        "reading_form",
        lambda data: measures.reading_record(
            measure=measure, by=request.user, by_supplier=False, **data
        ),
        _("The measurement was recorded."),
    )


@organisation_view()
def milestone_achieve(
    request: PageRequest, membership: Membership, measure_id: int
) -> HttpResponse:
    measure = _measure(membership, measure_id)
    return _action_post(
        request,
        membership,
        measure.action,
        forms.AchievedForm(request.POST or None),
        "achieved_form",
        lambda data: measures.milestone_achieve(measure=measure, by=request.user, **data),
        _("The milestone was marked as achieved."),
    )


@organisation_view()
def reading_confirm(request: PageRequest, membership: Membership, reading_id: int) -> HttpResponse:
    reading = get_scoped_or_404(
        Reading.objects.select_related("measure__action"),
        membership,
        pk=reading_id,
    )
    action = reading.measure.action
    return _action_post(
        request,
        membership,
        action,
        forms.ConfirmForm(request),
        "confirm_form",
        lambda data: measures.reading_confirm(reading=reading, by=request.user),
        _("The measurement was confirmed and counts in the risk register."),
    )


@organisation_view()
def due_date_decide(request: PageRequest, membership: Membership, change_id: int) -> HttpResponse:
    change = get_scoped_or_404(
        DueDateChange.objects.select_related("action"),
        membership,
        pk=change_id,
    )
    return _action_post(
        request,
        membership,
        change.action,
        forms.DecideForm(request.POST or None),
        "decide_form",
        lambda data: plans.due_date_decide(change=change, by=request.user, **data),
        _("Your decision was sent to the supplier."),
    )


@organisation_view()
def attachment(request: PageRequest, membership: Membership, attachment_id: int) -> HttpResponse:
    file = get_scoped_or_404(Attachment.objects.all(), membership, pk=attachment_id)
    return download(bytes(file.content), file.name, file.content_type)
