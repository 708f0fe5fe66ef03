"""The supplier's workspace: what every buyer shares with it, in one place, in Chinese, on a
phone. A supplier reaches a row only through a relationship that names its organisation."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stonebridge.accounts import cards
from stonebridge.accounts.access import get_as_supplier_or_404, organisation_view
from stonebridge.accounts.models import Membership
from stonebridge.pages import PageRequest, org_context, paginate, submit
from stonebridge.pages import attachment as download
from stonebridge.risk.forms import WorkforceForm
from stonebridge.supplychain.models import UpstreamDisclosure

from . import forms, queries, workspace_exports
from .models import (
    Action,
    Attachment,
    Commitment,
    ExitPlan,
    Measure,
    Plan,
    Relationship,
    Request,
)
from .services import disclosure, measures, plans, relationships

URGENT = 30


@organisation_view()
def home(request: PageRequest, membership: Membership) -> HttpResponse:
    org = membership.organisation
    today = timezone.localdate()
    actions = workspace_exports.open_actions_of(org)
    return render(
        request,
        "engagement/workspace/home.html",
        org_context(
            membership,
            today=today,
            cards=cards.shown(membership, workspace=True),
            commitments=Commitment.objects.shared_with(org)
            .filter(acknowledged_at__isnull=True)
            .select_related("code", "relationship__organisation"),
            requests=workspace_exports.open_requests_of(org),
            # The most urgent; every action is also in its plan and in the download.
            actions=actions[:URGENT],
            more_actions=max(actions.count() - URGENT, 0),
            plans=workspace_exports.plans_of(org),
            relationships=workspace_exports.relationships_of(org),
            asking=Relationship.objects.asking(org).select_related("organisation", "facility"),
            concerns=queries.concerns_of(org),
            exits=ExitPlan.objects.shared_with(org)
            .filter(completed_at__isnull=True)
            .select_related("relationship__organisation", "relationship__facility"),
        ),
    )


@organisation_view()
def history(request: PageRequest, membership: Membership) -> HttpResponse:
    """What the organisation has told its buyers, newest first; its own audit log holds the
    rest of what its people did."""
    return render(
        request,
        "engagement/workspace/history.html",
        org_context(
            membership, page=paginate(request, queries.history_of(membership.organisation))
        ),
    )


@organisation_view()
def commitment(request: PageRequest, membership: Membership, commitment_id: int) -> HttpResponse:
    commitment = get_as_supplier_or_404(
        Commitment.objects.select_related("code", "relationship__organisation"),
        membership,
        pk=commitment_id,
    )
    form = forms.ConfirmForm(request)
    if (
        submit(
            request,
            form,
            lambda data: relationships.code_acknowledge(commitment=commitment, by=request.user),
        )
        is not None
    ):
        messages.success(request, _("Thank you. Your buyer can see that you acknowledged it."))
        return redirect("engagement:workspace_home", org=membership.organisation.slug)
    return render(
        request,
        "engagement/workspace/commitment.html",
        org_context(membership, commitment=commitment, form=form),
    )


@organisation_view()
def plan(request: PageRequest, membership: Membership, plan_id: int) -> HttpResponse:
    plan = get_as_supplier_or_404(Plan.objects.with_parts(), membership, pk=plan_id)
    return render(
        request,
        "engagement/plan.html",
        org_context(membership, side="supplier", **queries.plan_page(plan)),
    )


def _action(membership: Membership, action_id: int) -> Action:
    return get_as_supplier_or_404(
        Action.objects.select_related(
            "plan__relationship__organisation", "plan__facility", "issue"
        ),
        membership,
        pk=action_id,
    )


def action_page(
    request: PageRequest, membership: Membership, action: Action, **bound: Any
) -> HttpResponse:
    page_forms = {
        "report_form": forms.UpdateForm(),
        "due_date_form": forms.DueDateForm(),
        "reading_form": forms.ReadingForm(initial={"measured_on": timezone.localdate()}),
        **bound,
    }
    return render(
        request,
        "engagement/workspace/action.html",
        org_context(membership, **queries.action_page(request, action), **page_forms),
    )


@organisation_view()
def action(request: PageRequest, membership: Membership, action_id: int) -> HttpResponse:
    return action_page(request, membership, _action(membership, action_id))


def _post(
    request: PageRequest,
    membership: Membership,
    action: Action,
    form: Any,
    name: str,
    call: Any,
) -> HttpResponse:
    if submit(request, form, call) is not None:
        messages.success(request, _("Sent. Your buyer has been told."))
        return redirect(
            "engagement:workspace_action", org=membership.organisation.slug, action_id=action.pk
        )
    return action_page(request, membership, action, **{name: form})


@organisation_view()
def report(request: PageRequest, membership: Membership, action_id: int) -> HttpResponse:
    action = _action(membership, action_id)
    return _post(
        request,
        membership,
        action,
        forms.UpdateForm(request.POST or None, request.FILES or None),
        "report_form",
        lambda data: plans.update_post(action=action, by=request.user, by_supplier=True, **data),
    )


@organisation_view()
def due_date(request: PageRequest, membership: Membership, action_id: int) -> HttpResponse:
    action = _action(membership, action_id)
    return _post(
        request,
        membership,
        action,
        forms.DueDateForm(request.POST or None),
        "due_date_form",
        lambda data: plans.due_date_propose(action=action, by=request.user, **data),
    )


@organisation_view()
def reading(request: PageRequest, membership: Membership, measure_id: int) -> HttpResponse:
    measure = get_as_supplier_or_404(
        Measure.objects.select_related("action"),
        membership,
        pk=measure_id,
    )
    return _post(
        request,
        membership,
        measure.action,
        forms.ReadingForm(request.POST or None),
        "reading_form",
        lambda data: measures.reading_record(
            measure=measure, by=request.user, by_supplier=True, **data
        ),
    )


@organisation_view()
def request_answer(request: PageRequest, membership: Membership, request_id: int) -> HttpResponse:
    asked = get_as_supplier_or_404(
        Request.objects.select_related("relationship__organisation"),
        membership,
        pk=request_id,
    )
    form = forms.AnswerForm(request.POST or None)
    if (
        submit(
            request,
            form,
            lambda data: disclosure.request_answer(request=asked, by=request.user, **data),
        )
        is not None
    ):
        messages.success(request, _("Your answer was sent."))
        return redirect("engagement:workspace_home", org=membership.organisation.slug)
    return render(
        request,
        "engagement/workspace/request.html",
        org_context(membership, asked=asked, form=form),
    )


@organisation_view()
def disclose(request: PageRequest, membership: Membership, relationship_id: int) -> HttpResponse:
    """Tell a buyer about a problem found. Disclosing is never held against the supplier."""
    relationship = get_as_supplier_or_404(
        Relationship.objects.select_related("organisation", "facility"),
        membership,
        pk=relationship_id,
    )
    # "choose" asks, without JavaScript, for the detailed list of the kind chosen; htmx asks
    # with ?issue= and takes the list from the page.
    choosing = "choose" in request.POST
    form = forms.DiscloseForm(
        None if choosing else request.POST or None,
        initial=request.POST.dict() if choosing else {"issue": request.GET.get("issue")},
    )

    def call(data: dict[str, Any]) -> object:
        return disclosure.finding_disclose(
            relationship=relationship,
            by=request.user,
            issue=data["issue"].pk,
            indicator=data["indicator"].code if data["indicator"] else "",
            summary=data["summary"],
            observed_on=data["observed_on"],
            people_affected=data["people_affected"],
        )

    if submit(request, form, call) is not None:
        messages.success(request, _("Thank you for telling your buyer. Let's agree what to do."))
        return redirect("engagement:workspace_home", org=membership.organisation.slug)
    return render(
        request,
        "engagement/workspace/disclose.html",
        org_context(membership, relationship=relationship, form=form),
    )


@organisation_view()
def workforce(request: PageRequest, membership: Membership, relationship_id: int) -> HttpResponse:
    """Disclose who works at one of the supplier's own sites to every buyer it works with
    there."""
    relationship = get_as_supplier_or_404(
        Relationship.objects.select_related("organisation", "facility"),
        membership,
        pk=relationship_id,
    )
    form = WorkforceForm(request.POST or None)

    def call(data: dict[str, Any]) -> object:
        return disclosure.workforce_disclose(
            supplier=membership.organisation,
            by=request.user,
            facility=relationship.facility,
            **data,
        )

    if submit(request, form, call) is not None:
        messages.success(
            request, _("Thank you. Your buyers see these figures as disclosed by you.")
        )
        return redirect("engagement:workspace_home", org=membership.organisation.slug)
    return render(
        request,
        "engagement/workspace/workforce.html",
        org_context(membership, relationship=relationship, form=form),
    )


@organisation_view()
def upstream(request: PageRequest, membership: Membership, relationship_id: int) -> HttpResponse:
    """The supplier maps who supplies or works for one of its sites, for the buyers it works
    with there."""
    relationship = get_as_supplier_or_404(
        Relationship.objects.select_related("organisation", "facility"),
        membership,
        pk=relationship_id,
    )
    site = relationship.facility
    mapped = UpstreamDisclosure.objects.filter(
        organisation=membership.organisation, site=site
    ).select_related("supplier", "customer")
    customers = [site, *{d.supplier.pk: d.supplier for d in mapped}.values()]
    form = forms.UpstreamForm(request.POST or None, customers=customers)

    def call(data: dict[str, Any]) -> object:
        return disclosure.upstream_disclose(
            supplier=membership.organisation,
            by=request.user,
            site=site,
            customer=next(f for f in customers if f.pk == data["customer"]),
            kind=data["kind"],
            facility=data.get("facility"),
            new_facility={
                "kind": data["facility_kind"],
                "name_zh": data["name_zh"],
                "name_en": data["name_en"],
                "province": data["province"],
                "city": data["city"],
            },
        )

    if submit(request, form, call) is not None:
        messages.success(request, _("Disclosed to the buyers you work with at this site."))
        return redirect(
            "engagement:workspace_upstream",
            org=membership.organisation.slug,
            relationship_id=relationship.pk,
        )
    return render(
        request,
        "engagement/workspace/upstream.html",
        org_context(membership, relationship=relationship, mapped=mapped, form=form),
    )


@organisation_view()
def attachment(request: PageRequest, membership: Membership, attachment_id: int) -> HttpResponse:
    file = get_as_supplier_or_404(
        Attachment.objects.all(),
        membership,
        pk=attachment_id,
    )
    return download(bytes(file.content), file.name, file.content_type)


@organisation_view()
@require_POST
def sharing(request: PageRequest, membership: Membership, relationship_id: int) -> HttpResponse:
    """Accept or decline what a buyer asks to share with this organisation."""
    relationship = get_as_supplier_or_404(
        Relationship.objects.all(), membership, accepted=False, pk=relationship_id
    )
    form = forms.DecideForm(request.POST or None)
    if (
        submit(
            request,
            form,
            lambda data: relationships.sharing_answer(
                relationship=relationship, by=request.user, accept=data["accept"]
            ),
        )
        is not None
    ):
        messages.success(request, _("Your answer was sent."))
    return redirect("engagement:workspace_home", org=membership.organisation.slug)
