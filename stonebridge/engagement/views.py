"""The buyer's pages: engagement with each supplier, its plans, red flags and exit. The pages of
one action, with its measures and readings, are in `actions.py`."""

from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stonebridge.accounts.access import get_scoped_or_404, organisation_view
from stonebridge.accounts.models import Membership
from stonebridge.pages import PageRequest, org_context, paginate, submit

from . import exports, flags, forms, programmes, queries
from .models import Action, ExitPlan, FlagState, Plan, Relationship, Status
from .services import disclosure, escalation, plans, relationships, suppliers, support

# How many of each kind of item the dashboard lists before pointing to the full list.
SHOWN = 20
# StoneBridge default: how many red flags the home page names; the dashboard lists them all.
HOME_FLAGS = 3


def _relationship(membership: Membership, relationship_id: int) -> Relationship:
    return get_scoped_or_404(
        Relationship.objects.select_related("facility", "supplier", "organisation"),
        membership,
        pk=relationship_id,
    )


def _plan(membership: Membership, plan_id: int) -> Plan:
    return get_scoped_or_404(Plan.objects.with_parts(), membership, pk=plan_id)


# --- dashboard and relationships --------------------------------------------------------------


def _relationships(request: PageRequest, membership: Membership) -> tuple[Any, dict[str, Any]]:
    """The buyer's suppliers, searched and filtered as the person asked."""
    return exports.filtered_relationships(membership, request.GET)


@organisation_view()
def dashboard(request: PageRequest, membership: Membership) -> HttpResponse:
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
def relationship_create(request: PageRequest, membership: Membership) -> HttpResponse:
    org = membership.organisation
    find = request.GET.get("find", "")
    form = forms.RelationshipForm(request.POST or None, organisation=org, search=find)
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
        org_context(membership, form=form, title=_("Engage a supplier"), find=find),
    )


@organisation_view()
def relationship(
    request: PageRequest, membership: Membership, relationship_id: int
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
            escalations=relationship.escalations.select_related("created_by", "collective"),
            exit_plan=getattr(relationship, "exit_plan", None),
            disclosed=queries.disclosed(relationship),
            send_form=forms.CodeSendForm(organisation=membership.organisation),
        ),
    )


def _relationship_form(
    request: PageRequest,
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
    that a form may itself take a `relationship`. `find` is the supplier search its picker
    offers, if it has one."""
    form = form_class(request.POST or None, **form_kwargs)
    find = form_kwargs.get("search")
    if (
        not getattr(form, "filling", False)
        and submit(
            request,
            form,
            lambda data: service(relationship=relationship, by=request.user, **data),
        )
        is not None
    ):
        messages.success(request, done)
        if isinstance(form, forms.SupplierTextForm):
            form.warn_without_chinese(request)
        return redirect(
            "engagement:relationship",
            org=membership.organisation.slug,
            relationship_id=relationship.pk,
        )
    return render(
        request,
        "engagement/form.html",
        org_context(membership, form=form, title=title, relationship=relationship, find=find),
    )


@organisation_view()
def relationship_edit(
    request: PageRequest, membership: Membership, relationship_id: int
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
        search=request.GET.get("find", ""),
    )


@organisation_view()
def supplier_invite(
    request: PageRequest, membership: Membership, relationship_id: int
) -> HttpResponse:
    """Bring the supplier onto StoneBridge: the link and QR code are shown once, to forward in
    WeChat beside the e-mail."""
    relationship = _relationship(membership, relationship_id)
    facility = relationship.facility
    form = forms.SupplierInviteForm(
        request.POST or None,
        initial={
            "name_zh": facility.name_zh,
            "name": facility.name_en,
            "credit_code": facility.credit_code or "",
        },
    )
    invited = submit(
        request,
        form,
        lambda data: suppliers.supplier_invite(relationship=relationship, by=request.user, **data),
    )
    if invited is None:
        return render(
            request,
            "engagement/form.html",
            org_context(
                membership, form=form, title=_("Invite the supplier"), relationship=relationship
            ),
        )
    link = (
        request.build_absolute_uri(reverse("accounts:invitation", args=[invited.token]))
        if invited.token
        else ""
    )
    return render(
        request,
        "engagement/invited.html",
        org_context(
            membership,
            relationship=relationship,
            invited=invited,
            link=link,
            qr=segno.make(link).svg_inline(scale=4, title=_("QR code of the link")) if link else "",
            invite_days=settings.INVITATION_VALID_DAYS,
        ),
    )


@organisation_view()
def code_send(request: PageRequest, membership: Membership, relationship_id: int) -> HttpResponse:
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
    request: PageRequest, membership: Membership, relationship_id: int
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
    request: PageRequest, membership: Membership, relationship_id: int
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
def escalate(request: PageRequest, membership: Membership, relationship_id: int) -> HttpResponse:
    relationship = _relationship(membership, relationship_id)
    return _relationship_form(
        request,
        membership,
        relationship,
        forms.EscalationForm,
        escalation.escalation_take,
        _("Take an escalation step"),
        _("The step was recorded."),
        initial={"taken_on": timezone.localdate()},
        relationship=relationship,
    )


@organisation_view()
def purchasing(request: PageRequest, membership: Membership, relationship_id: int) -> HttpResponse:
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
def exit_plan(request: PageRequest, membership: Membership, relationship_id: int) -> HttpResponse:
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
    request: PageRequest, membership: Membership, relationship_id: int
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
        messages.error(request, str(error))
    return redirect(
        "engagement:relationship", org=membership.organisation.slug, relationship_id=relationship.pk
    )


@organisation_view()
def codes(request: PageRequest, membership: Membership) -> HttpResponse:
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
        form.warn_without_chinese(request)
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
    return {
        "title": latest.title,
        "title_zh": latest.title_zh,
        "text_en": latest.text_en,
        "text_zh": latest.text_zh,
    }


# --- plans and actions ------------------------------------------------------------------------


@organisation_view()
def plan_create(request: PageRequest, membership: Membership, relationship_id: int) -> HttpResponse:
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
        form.warn_without_chinese(request)
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
def plan(request: PageRequest, membership: Membership, plan_id: int) -> HttpResponse:
    plan = _plan(membership, plan_id)
    return render(
        request,
        "engagement/plan.html",
        org_context(membership, side="buyer", **queries.plan_page(plan)),
    )


@organisation_view()
def plan_close(request: PageRequest, membership: Membership, plan_id: int) -> HttpResponse:
    plan = _plan(membership, plan_id)
    form = forms.ConfirmForm(request)
    if submit(request, form, lambda data: plans.plan_close(plan=plan, by=request.user)) is not None:
        messages.success(request, _("The plan was closed."))
    else:
        for error in form.non_field_errors():
            messages.error(request, str(error))
    return redirect("engagement:plan", org=membership.organisation.slug, plan_id=plan.pk)


@organisation_view()
def action_create(request: PageRequest, membership: Membership, plan_id: int) -> HttpResponse:
    plan = _plan(membership, plan_id)
    form = forms.ActionForm(
        request.POST or None, relationship=plan.relationship, facility=plan.facility
    )
    created = None
    if not form.filling:
        created = submit(
            request, form, lambda data: plans.action_create(plan=plan, by=request.user, **data)
        )
    if created is not None:
        messages.success(request, _("The action was added. Now say how it will be measured."))
        form.warn_without_chinese(request)
        return redirect("engagement:action", org=membership.organisation.slug, action_id=created.pk)
    return render(
        request,
        "engagement/form.html",
        org_context(membership, form=form, title=_("Add an action"), plan=plan),
    )


def home_card(membership: Membership) -> tuple[str, dict[str, Any]] | None:
    """On a buyer's home page: the actions still open and the red flags standing."""
    org = membership.organisation
    if not org.has_chain:
        return None
    return "engagement/_home_card.html", {
        **queries.standing(org, timezone.localdate(), HOME_FLAGS),
        "flag_titles": flags.TITLES,
    }
