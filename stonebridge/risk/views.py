from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from stonebridge.accounts.access import get_scoped_or_404, get_shared_or_404, organisation_view
from stonebridge.accounts.models import Membership
from stonebridge.pages import PageRequest, attachment, org_context, submit
from stonebridge.replicas import replica_reads
from stonebridge.supplychain.models import Facility

from . import exporting, queries, services, summary
from .forms import EvidenceForm, HeatmapForm, RegisterFilterForm, RetractForm, WorkforceForm
from .models import Evidence, Issue, RegisterExport

# StoneBridge default: how many risks the home page names; the register lists them all.
HOME_RISKS = 3


def _filtered(request: HttpRequest, membership: Membership) -> tuple[Any, RegisterFilterForm, str]:
    """The register with the filters and sort the person chose, for the page and its export."""
    return exporting.filtered(membership.organisation, request.GET)


def _count(membership: Membership, form: RegisterFilterForm) -> int | None:
    """The number of risks, from the kept counts when the filters are ones they hold."""
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("province") or data.get("via") or data.get("irremediable"):
        return None
    issue = data.get("issue")
    return summary.total(
        membership.organisation.pk, issue=issue.pk if issue else None, tier=data.get("tier")
    )


def _window(request: HttpRequest, membership: Membership) -> tuple[queries.Window, Any]:
    scores, form, sort = _filtered(request, membership)
    rows, next_after = queries.window(scores, sort, request.GET.get("after"))
    params = request.GET.copy()
    params.pop("after", None)
    return queries.Window(rows, next_after, _count(membership, form), params.urlencode()), form


@vary_on_headers("HX-Request")
@replica_reads
@organisation_view()
def register(request: PageRequest, membership: Membership) -> HttpResponse:
    """The buyer's risks, most severe and likely first (UNGP 24), a page at a time: each page
    starts after the last row of the one before."""
    page, form = _window(request, membership)
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
        org_context(membership, form=form, page=page, **extra),
    )


@organisation_view()
def register_export(request: PageRequest, membership: Membership, fmt: str) -> HttpResponse:
    """The filtered register as CSV, or as a workbook with the cited baseline beside it. A
    large one is written by the task worker while a page shows how far it has come."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    scores, _form, _sort = _filtered(request, membership)
    if scores[: exporting.DIRECT_ROWS + 1].count() <= exporting.DIRECT_ROWS:
        return attachment(*exporting.register_file(scores, fmt))
    export = services.register_export_start(
        organisation=membership.organisation, by=request.user, fmt=fmt, query=request.GET
    )
    return redirect("risk:download", org=membership.organisation.slug, export_id=export.pk)


@vary_on_headers("HX-Request")
@organisation_view()
def download(request: PageRequest, membership: Membership, export_id: int) -> HttpResponse:
    """How far a large download has come, and the file once it is written."""
    export = get_scoped_or_404(RegisterExport.objects.defer("content"), membership, pk=export_id)
    template = "risk/_download_status.html" if request.htmx else "risk/download.html"
    return render(request, template, org_context(membership, export=export))


@organisation_view()
def download_file(request: PageRequest, membership: Membership, export_id: int) -> HttpResponse:
    export = get_scoped_or_404(
        RegisterExport.objects.filter(status=RegisterExport.Status.DONE), membership, pk=export_id
    )
    return attachment(
        bytes(export.content or b""), export.filename, exporting.CONTENT_TYPES[export.fmt]
    )


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
