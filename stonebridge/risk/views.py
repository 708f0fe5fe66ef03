from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from stonebridge.accounts.access import get_scoped_or_404, get_shared_or_404, organisation_view
from stonebridge.accounts.models import Membership
from stonebridge.pages import PageRequest, attachment, org_context, paginate, submit
from stonebridge.supplychain.models import Facility

from . import exporting, queries, services
from .forms import EvidenceForm, HeatmapForm, RegisterFilterForm, RetractForm, WorkforceForm
from .models import Evidence, Issue

# StoneBridge default: how many risks the home page names; the register lists them all.
HOME_RISKS = 3


def _filtered(request: HttpRequest, membership: Membership) -> tuple[Any, RegisterFilterForm]:
    """The register with the filters and sort the person chose, for the page and its export."""
    form = RegisterFilterForm(request.GET or None, organisation=membership.organisation)
    scores = queries.register(membership.organisation)
    sort = "priority"
    if form.is_valid():
        data = form.cleaned_data
        if data["issue"]:
            scores = scores.filter(issue=data["issue"])
        if data["tier"]:
            scores = scores.filter(tier=data["tier"])
        if data["province"]:
            scores = scores.filter(facility__province__icontains=data["province"])
        if data["via"]:
            scores = scores.filter(via_id=data["via"])
        if data["irremediable"]:
            scores = scores.filter(irremediable=True)
        sort = data["sort"] or sort
    return scores.order_by(*queries.SORTS[sort]), form


@vary_on_headers("HX-Request")
@organisation_view()
def register(request: PageRequest, membership: Membership) -> HttpResponse:
    """The buyer's risks, most severe and likely first (UNGP 24)."""
    scores, form = _filtered(request, membership)
    if request.htmx:
        template = "risk/_register_rows.html"
        extra = {}
    else:
        template = "risk/register.html"
        rows = HeatmapForm(request.GET or None)
        by = rows.cleaned_data["rows"] if rows.is_valid() and rows.cleaned_data["rows"] else "tier"
        extra = {"heatmap": queries.heatmap(membership.organisation, by), "heatmap_rows": by}
    return render(
        request,
        template,
        org_context(membership, form=form, page=paginate(request, scores), **extra),
    )


@organisation_view()
def register_export(request: PageRequest, membership: Membership, fmt: str) -> HttpResponse:
    """The filtered register as CSV, or as a workbook with the cited baseline beside it."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    scores, _form = _filtered(request, membership)
    return attachment(*exporting.register_file(scores, fmt))


@organisation_view()
def explain(
    request: PageRequest, membership: Membership, facility_id: int, issue: str
) -> HttpResponse:
    facility = get_shared_or_404(Facility.objects.all(), pk=facility_id)
    if not Issue.objects.filter(pk=issue).exists():
        raise Http404
    (explained,) = queries.explain(membership.organisation, facility, issue)
    return render(
        request,
        "risk/explain.html",
        org_context(membership, facility=facility, explained=explained),
    )


@organisation_view()
def facility_risk(request: PageRequest, membership: Membership, facility_id: int) -> HttpResponse:
    """The facility's risk profile for this buyer, its evidence, and recording new evidence."""
    org = membership.organisation
    facility = get_shared_or_404(Facility.objects.all(), pk=facility_id)
    form = EvidenceForm(request.POST or None)
    recorded = submit(
        request,
        form,
        lambda data: services.evidence_record(
            organisation=org, by=request.user, facility=facility, **data
        ),
    )
    if recorded is not None:
        messages.success(request, _("The evidence was recorded and the risk recomputed."))
        return redirect("risk:facility", org=org.slug, facility_id=facility.pk)
    evidence = Evidence.objects.filter(organisation=org, facility=facility).select_related(
        "issue", "indicator", "recorded_by"
    )
    return render(
        request,
        "risk/facility.html",
        org_context(
            membership,
            facility=facility,
            profile=queries.explain(org, facility),
            upstream=queries.upstream(org, facility),
            evidence=evidence,
            form=form,
            workforce=queries.workforce_for(org, facility),
            workforce_form=WorkforceForm(),
        ),
    )


@organisation_view()
@require_POST
def workforce_state(request: PageRequest, membership: Membership, facility_id: int) -> HttpResponse:
    """The buyer records who works at a facility, for its own scores."""
    org = membership.organisation
    facility = get_shared_or_404(Facility.objects.all(), pk=facility_id)
    form = WorkforceForm(request.POST)
    if form.is_valid():
        services.workforce_state(
            organisation=org, by=request.user, facility=facility, **form.cleaned_data
        )
        messages.success(
            request, _("Your workforce figures were recorded and the risk recomputed.")
        )
    else:
        messages.error(
            request,
            _("The workforce figures were not recorded: %(errors)s")
            % {"errors": "; ".join(str(m) for ms in form.errors.values() for m in ms)},
        )
    return redirect("risk:facility", org=org.slug, facility_id=facility.pk)


@organisation_view()
def evidence_retract(
    request: PageRequest, membership: Membership, evidence_id: int
) -> HttpResponse:
    evidence = get_scoped_or_404(
        Evidence.objects.select_related("issue", "facility"), membership, pk=evidence_id
    )
    form = RetractForm(request.POST or None)
    retracted = submit(
        request,
        form,
        lambda data: services.evidence_retract(
            evidence=evidence, by=request.user, reason=data["reason"]
        ),
    )
    if retracted is not None:
        messages.success(request, _("The evidence was withdrawn. It stays on record."))
        return redirect(
            "risk:facility", org=membership.organisation.slug, facility_id=evidence.facility_id
        )
    return render(
        request, "risk/evidence_retract.html", org_context(membership, evidence=evidence, form=form)
    )


def home_card(membership: Membership) -> tuple[str, dict[str, Any]] | None:
    """On a buyer's home page: its most severe and likely risks, each linked to its reasons."""
    org = membership.organisation
    if not org.has_chain:
        return None
    top = queries.register(org).order_by(*queries.SORTS["priority"])[:HOME_RISKS]
    return "risk/_home_card.html", {"top": top}
