"""The buyer's pages: engagement with each supplier, plans, actions, red flags and exit."""

from typing import Any

from django.contrib import messages
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stonebridge.accounts.access import get_scoped_or_404, organisation_view
from stonebridge.accounts.models import Membership
from stonebridge.pages import attachment as download
from stonebridge.pages import org_context, paginate, submit

from . import flags, forms, programmes, queries
from .models import (
    Action,
    Attachment,
    DueDateChange,
    ExitPlan,
    FlagState,
    Measure,
    Plan,
    Reading,
    Relationship,
    Status,
)
from .services import disclosure, escalation, measures, plans, relationships, support

BUTTONS = ("targets_form", "confirm_form", "decide_form", "achieved_form")
# How many of each kind of item the dashboard lists before pointing to the full list.
SHOWN = 20


def _relationship(membership: Membership, relationship_id: int) -> Relationship:
    return get_scoped_or_404(
        Relationship.objects.select_related("facility", "supplier", "organisation"),
        membership,
        pk=relationship_id,
    )


def _plan(membership: Membership, plan_id: int) -> Plan:
    return get_scoped_or_404(Plan.objects.with_parts(), membership, pk=plan_id)


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


# --- dashboard and relationships --------------------------------------------------------------


def _relationships(request: HttpRequest, membership: Membership) -> tuple[Any, dict[str, Any]]:
    """The buyer's suppliers, searched and filtered as the person asked."""
    relationships = queries.relationships_for(membership.organisation).annotate(
        open_actions=Count(
            "plans__actions", filter=Q(plans__actions__status__in=("open", "in_progress"))
        )
    )
    search = request.GET.get("q", "").strip()
    if search:
        relationships = relationships.filter(
            Q(facility__search_text__icontains=search.lower())
            | Q(facility__name_zh__icontains=search)
        )
    status = request.GET.get("status", "")
    if status in Status.values:
        relationships = relationships.filter(status=status)
    flagged = request.GET.get("flagged") == "1"
    if flagged:
        standing = FlagState.objects.filter(relationship=OuterRef("pk"), cleared_at__isnull=True)
        relationships = relationships.filter(Exists(standing))
    chosen = {"search": search, "status": status, "flagged": flagged}
    return relationships.order_by("facility__name_en", "pk"), chosen


@organisation_view()
def dashboard(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Every supplier the buyer engages, what is overdue or waiting, red flags, and remediation
    that stays open after an exit."""
    org = membership.organisation
    relationships, chosen = _relationships(request, membership)
    standing = FlagState.objects.filter(relationship__organisation=org, cleared_at__isnull=True)
    return render(
        request,
        "engagement/dashboard.html",
        org_context(
            membership,
            page=paginate(request, relationships),
            statuses=Status.choices,
            # The newest few; the list below filters to every supplier with a flag.
            flags=standing.select_related("relationship__facility")[:SHOWN],
            flag_count=standing.count(),
            flag_titles=flags.TITLES,
            overdue=queries.overdue_actions(org, timezone.localdate())[:SHOWN],
            waiting=queries.waiting_for_buyer(org, SHOWN),
            remediation=queries.open_remediation_after_exit(org),
            **chosen,
        ),
    )


@organisation_view()
def relationship_create(request: HttpRequest, membership: Membership) -> HttpResponse:
    org = membership.organisation
    form = forms.RelationshipForm(request.POST or None, organisation=org)
    created = submit(
        request,
        form,
        lambda data: relationships.relationship_create(organisation=org, by=request.user, **data),
    )
    if created is not None:
        return redirect("engagement:relationship", org=org.slug, relationship_id=created.pk)
    return render(
        request,
        "engagement/form.html",
        org_context(membership, form=form, title=_("Engage a supplier")),
    )


@organisation_view()
def relationship(
    request: HttpRequest, membership: Membership, relationship_id: int
) -> HttpResponse:
    relationship = _relationship(membership, relationship_id)
    red_flags = queries.red_flags(relationship, timezone.localdate())
    steps = relationship.escalations.values_list("step", flat=True)
    return render(
        request,
        "engagement/relationship.html",
        org_context(
            membership,
            relationship=relationship,
            red_flags=red_flags,
            next_step=flags.next_step(red_flags, steps),
            plans=relationship.plans.annotate(action_count=Count("actions")),
            requests=relationship.requests.all(),
            support=relationship.support.prefetch_related("actions"),
            commitments=relationship.commitments.select_related("code", "acknowledged_by"),
            escalations=relationship.escalations.select_related("created_by"),
            exit_plan=getattr(relationship, "exit_plan", None),
            disclosed=queries.disclosed(relationship),
            send_form=forms.CodeSendForm(organisation=membership.organisation),
        ),
    )


def _relationship_form(
    request: HttpRequest,
    membership: Membership,
    relationship: Relationship,
    form_class: Any,
    service: Any,
    title: str,
    done: str,
    /,
    **form_kwargs: Any,
) -> HttpResponse:
    """A page with one form that changes one thing about a relationship. Positional-only, so
    that a form may itself take a `relationship`."""
    form = form_class(request.POST or None, **form_kwargs)
    if (
        submit(
            request,
            form,
            lambda data: service(relationship=relationship, by=request.user, **data),
        )
        is not None
    ):
        messages.success(request, done)
        return redirect(
            "engagement:relationship",
            org=membership.organisation.slug,
            relationship_id=relationship.pk,
        )
    return render(
        request,
        "engagement/form.html",
        org_context(membership, form=form, title=title, relationship=relationship),
    )


@organisation_view()
def relationship_edit(
    request: HttpRequest, membership: Membership, relationship_id: int
) -> HttpResponse:
    relationship = _relationship(membership, relationship_id)
    return _relationship_form(
        request,
        membership,
        relationship,
        forms.RelationshipEditForm,
        relationships.relationship_update,
        _("Sharing and period"),
        _("Saved."),
        instance=relationship,
    )


@organisation_view()
def code_send(request: HttpRequest, membership: Membership, relationship_id: int) -> HttpResponse:
    return _relationship_form(
        request,
        membership,
        _relationship(membership, relationship_id),
        forms.CodeSendForm,
        relationships.code_send,
        _("Send the code of conduct"),
        _("The code was sent. The supplier acknowledges it in its workspace."),
        organisation=membership.organisation,
    )


@organisation_view()
def request_create(
    request: HttpRequest, membership: Membership, relationship_id: int
) -> HttpResponse:
    return _relationship_form(
        request,
        membership,
        _relationship(membership, relationship_id),
        forms.RequestForm,
        disclosure.request_create,
        _("Ask the supplier"),
        _("The request was sent to the supplier."),
    )


@organisation_view()
def support_record(
    request: HttpRequest, membership: Membership, relationship_id: int
) -> HttpResponse:
    relationship = _relationship(membership, relationship_id)
    return _relationship_form(
        request,
        membership,
        relationship,
        forms.SupportForm,
        support.support_record,
        _("Record support given"),
        _("The support was recorded."),
        relationship=relationship,
    )


@organisation_view()
def escalate(request: HttpRequest, membership: Membership, relationship_id: int) -> HttpResponse:
    return _relationship_form(
        request,
        membership,
        _relationship(membership, relationship_id),
        forms.EscalationForm,
        escalation.escalation_take,
        _("Take an escalation step"),
        _("The step was recorded."),
        initial={"taken_on": timezone.localdate()},
    )


@organisation_view()
def purchasing(request: HttpRequest, membership: Membership, relationship_id: int) -> HttpResponse:
    """Orders and the practices they show, beside the supplier's hours and sub-contracting
    risks; recording an order."""
    relationship = _relationship(membership, relationship_id)
    form = forms.OrderForm(request.POST or None)
    if (
        submit(
            request,
            form,
            lambda data: support.order_record(relationship=relationship, by=request.user, **data),
        )
        is not None
    ):
        messages.success(request, _("The order was recorded."))
        return redirect(request.path)
    from .practices import EFFECTS, LABELS

    return render(
        request,
        "engagement/purchasing.html",
        org_context(
            membership,
            relationship=relationship,
            form=form,
            labels=LABELS,
            effects=EFFECTS,
            **queries.purchasing(relationship),
        ),
    )


@organisation_view()
def exit_plan(request: HttpRequest, membership: Membership, relationship_id: int) -> HttpResponse:
    relationship = _relationship(membership, relationship_id)
    existing = getattr(relationship, "exit_plan", None)
    if existing is not None:
        return render(
            request,
            "engagement/exit_plan.html",
            org_context(
                membership,
                relationship=relationship,
                exit_plan=existing,
                flag_titles=flags.TITLES,
                remediation=Action.objects.filter(
                    plan__relationship=relationship, kind="remediation"
                ),
            ),
        )
    raised = [f.code for f in queries.red_flags(relationship, timezone.localdate()) if f.raised]
    return _relationship_form(
        request,
        membership,
        relationship,
        forms.ExitPlanForm,
        escalation.exit_plan_create,
        _("Plan a responsible exit"),
        _("The exit plan was saved. Remediation stays open until it is done."),
        initial={
            "decided_on": timezone.localdate(),
            "red_flags": raised,
            "workers_affected": relationship.facility.workers,
        },
    )


@organisation_view()
@require_POST
def exit_complete(
    request: HttpRequest, membership: Membership, relationship_id: int
) -> HttpResponse:
    relationship = _relationship(membership, relationship_id)
    exit_plan = get_object_or_404(ExitPlan, relationship=relationship)
    form = forms.ConfirmForm(request)
    if (
        submit(
            request,
            form,
            lambda data: escalation.exit_complete(exit_plan=exit_plan, by=request.user),
        )
        is not None
    ):
        messages.success(
            request, _("The relationship has ended. Open remediation stays on your dashboard.")
        )
    for error in form.non_field_errors():
        messages.error(request, error)
    return redirect(
        "engagement:relationship", org=membership.organisation.slug, relationship_id=relationship.pk
    )


@organisation_view()
def codes(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The buyer's code of conduct in English and Chinese, and publishing a new version."""
    org = membership.organisation
    form = forms.CodeForm(request.POST or None, initial=_latest_code(membership))
    if (
        submit(
            request,
            form,
            lambda data: relationships.code_publish(organisation=org, by=request.user, **data),
        )
        is not None
    ):
        messages.success(request, _("A new version was published. Send it to your suppliers."))
        return redirect("engagement:codes", org=org.slug)
    return render(
        request,
        "engagement/codes.html",
        org_context(membership, form=form, codes=org.codes.annotate(sent=Count("commitments"))),
    )


def _latest_code(membership: Membership) -> dict[str, str]:
    latest = membership.organisation.codes.first()
    if latest is None:
        return {}
    return {"title": latest.title, "text_en": latest.text_en, "text_zh": latest.text_zh}


# --- plans and actions ------------------------------------------------------------------------


@organisation_view()
def plan_create(request: HttpRequest, membership: Membership, relationship_id: int) -> HttpResponse:
    relationship = _relationship(membership, relationship_id)
    facility_ids, _gaps = queries.upstream_ids(relationship)
    form = forms.PlanForm(request.POST or None, facility_ids=facility_ids)
    created = submit(
        request,
        form,
        lambda data: plans.plan_create(relationship=relationship, by=request.user, **data),
    )
    if created is not None:
        messages.success(request, _("The plan was created and shared with the supplier."))
        return redirect("engagement:plan", org=membership.organisation.slug, plan_id=created.pk)
    return render(
        request,
        "engagement/plan_form.html",
        org_context(
            membership,
            form=form,
            relationship=relationship,
            programmes=programmes.programmes().values(),
        ),
    )


@organisation_view()
def plan(request: HttpRequest, membership: Membership, plan_id: int) -> HttpResponse:
    plan = _plan(membership, plan_id)
    return render(
        request,
        "engagement/plan.html",
        org_context(membership, side="buyer", **queries.plan_page(plan)),
    )


@organisation_view()
def plan_close(request: HttpRequest, membership: Membership, plan_id: int) -> HttpResponse:
    plan = _plan(membership, plan_id)
    form = forms.ConfirmForm(request)
    if submit(request, form, lambda data: plans.plan_close(plan=plan, by=request.user)) is not None:
        messages.success(request, _("The plan was closed."))
    else:
        for error in form.non_field_errors():
            messages.error(request, error)
    return redirect("engagement:plan", org=membership.organisation.slug, plan_id=plan.pk)


@organisation_view()
def action_create(request: HttpRequest, membership: Membership, plan_id: int) -> HttpResponse:
    plan = _plan(membership, plan_id)
    form = forms.ActionForm(request.POST or None, relationship=plan.relationship)
    created = submit(
        request, form, lambda data: plans.action_create(plan=plan, by=request.user, **data)
    )
    if created is not None:
        messages.success(request, _("The action was added. Now say how it will be measured."))
        return redirect("engagement:action", org=membership.organisation.slug, action_id=created.pk)
    return render(
        request,
        "engagement/form.html",
        org_context(membership, form=form, title=_("Add an action"), plan=plan),
    )


def action_page(
    request: HttpRequest, membership: Membership, action: Action, **bound: Any
) -> HttpResponse:
    """The action with its measures, the thread of reports and the buyer's forms; a form that
    failed comes back bound, with its errors and what was typed."""
    page_forms = {
        "comment_form": forms.CommentForm(),
        "verify_form": forms.NoteForm(),
        "cancel_form": forms.ReasonForm(),
        "measure_form": forms.MeasureForm(),
        "reading_form": forms.ReadingForm(initial={"measured_on": timezone.localdate()}),
        "achieved_form": forms.AchievedForm(initial={"achieved_on": timezone.localdate()}),
        **bound,
    }
    return render(
        request,
        "engagement/action.html",
        org_context(membership, side="buyer", **queries.action_page(action), **page_forms),
    )


@organisation_view()
def action(request: HttpRequest, membership: Membership, action_id: int) -> HttpResponse:
    return action_page(request, membership, _action(membership, action_id))


def _action_post(
    request: HttpRequest,
    membership: Membership,
    action: Action,
    form: Any,
    name: str,
    call: Any,
    done: str,
) -> HttpResponse:
    if submit(request, form, call) is not None:
        messages.success(request, done)
        return redirect("engagement:action", org=membership.organisation.slug, action_id=action.pk)
    if name in BUTTONS:
        # Forms drawn as a button or a field or two beside each item show no error list.
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return action_page(request, membership, action, **{name: form})


@organisation_view()
def action_comment(request: HttpRequest, membership: Membership, action_id: int) -> HttpResponse:
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
def action_edit(request: HttpRequest, membership: Membership, action_id: int) -> HttpResponse:
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
        return redirect("engagement:action", org=membership.organisation.slug, action_id=action.pk)
    return render(
        request,
        "engagement/form.html",
        org_context(membership, form=form, title=_("Change the action"), plan=action.plan),
    )


@organisation_view()
def action_verify(request: HttpRequest, membership: Membership, action_id: int) -> HttpResponse:
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
def action_cancel(request: HttpRequest, membership: Membership, action_id: int) -> HttpResponse:
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
def measure_add(request: HttpRequest, membership: Membership, action_id: int) -> HttpResponse:
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
def measure_targets(request: HttpRequest, membership: Membership, measure_id: int) -> HttpResponse:
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
def reading_record(request: HttpRequest, membership: Membership, measure_id: int) -> HttpResponse:
    measure = _measure(membership, measure_id)
    return _action_post(
        request,
        membership,
        measure.action,
        forms.ReadingForm(request.POST or None),
        "reading_form",
        lambda data: measures.reading_record(
            measure=measure, by=request.user, by_supplier=False, **data
        ),
        _("The measurement was recorded."),
    )


@organisation_view()
def milestone_achieve(
    request: HttpRequest, membership: Membership, measure_id: int
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
def reading_confirm(request: HttpRequest, membership: Membership, reading_id: int) -> HttpResponse:
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
def due_date_decide(request: HttpRequest, membership: Membership, change_id: int) -> HttpResponse:
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
def attachment(request: HttpRequest, membership: Membership, attachment_id: int) -> HttpResponse:
    file = get_scoped_or_404(Attachment.objects.all(), membership, pk=attachment_id)
    return download(bytes(file.content), file.name, file.content_type)
