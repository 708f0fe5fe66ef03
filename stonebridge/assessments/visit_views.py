"""Pages of visits and findings, for the three organisations that meet in them: the buyer that
plans a visit and resolves disputes (/o/<buyer>/visits/), the service provider it grants access to
until a date (/o/<provider>/assignments/), and the supplier whose sites were visited, in its
workspace (/o/<supplier>/workspace/findings/). Each row is found through `accounts/access.py`."""

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stonebridge.accounts.access import (
    get_as_supplier_or_404,
    get_granted_or_404,
    get_scoped_or_404,
    granted,
    organisation_view,
    scoped,
)
from stonebridge.accounts.models import Membership
from stonebridge.pages import PageRequest, org_context, paginate, submit
from stonebridge.pages import attachment as download

from . import exports
from . import visit_forms as forms
from .models import Dispute, Finding, FindingFile, Visit, VisitSite
from .models.visits import seen_by_supplier
from .services import visits

FINDINGS = Finding.objects.select_related(
    "relationship__facility", "relationship__supplier", "issue", "indicator", "visit"
)


def _visits(queryset: QuerySet[Visit]) -> QuerySet[Visit]:
    return queryset.select_related("organisation", "provider").prefetch_related(
        "visit_sites__relationship__facility",
        Prefetch("findings", queryset=FINDINGS.prefetch_related("files", "disputes")),
    )


# --- the buyer -----------------------------------------------------------------------------------


@organisation_view()
def visit_list(request: PageRequest, membership: Membership) -> HttpResponse:
    page = paginate(request, _visits(scoped(Visit.objects.newest_first(), membership)))
    return render(request, "assessments/visits.html", org_context(membership, page=page))


@organisation_view()
def visit_create(request: PageRequest, membership: Membership) -> HttpResponse:
    org = membership.organisation
    form = forms.VisitForm(request.POST or None, organisation=org)
    visit = submit(
        request,
        form,
        lambda data: visits.visit_create(organisation=org, by=request.user, **data),
    )
    if visit is not None:
        messages.success(request, _("The visit was planned."))
        return redirect("assessments:visit", org=org.slug, visit_id=visit.pk)
    context = org_context(membership, form=form, title=_("Plan a visit"))
    return render(request, "assessments/form.html", context)


def _visit_page(
    request: PageRequest, membership: Membership, visit: Visit, side: str, **forms_: Any
) -> HttpResponse:
    takes_findings = visit.has_taken_place() and (
        (side == "buyer" and visit.provider_id is None) or side == "provider"
    )
    if takes_findings and membership.role != "viewer":
        forms_.setdefault("finding_form", forms.FindingForm(visit=visit))
        forms_.setdefault("report_form", forms.VisitReportForm(initial={"report": visit.report}))
    context = org_context(membership, visit=visit, side=side, **forms_)
    return render(request, "assessments/visit.html", context)


@organisation_view()
def visit(request: PageRequest, membership: Membership, visit_id: int) -> HttpResponse:
    found = get_scoped_or_404(_visits(Visit.objects.all()), membership, pk=visit_id)
    return _visit_page(request, membership, found, "buyer")


def _record(
    request: PageRequest, membership: Membership, visit: Visit, side: str, report: bool
) -> HttpResponse:
    """A finding or the visit's report, by whoever does the visit."""
    if report:
        form: Any = forms.VisitReportForm(request.POST or None)
        call: Any = lambda data: visits.visit_report(visit=visit, by=request.user, **data)  # noqa: E731
        name, done = "report_form", _("The report was saved.")
    else:
        form = forms.FindingForm(request.POST or None, request.FILES or None, visit=visit)
        call = lambda data: visits.finding_record(visit=visit, by=request.user, **data)  # noqa: E731
        name, done = "finding_form", _("The finding was recorded.")
    if submit(request, form, call) is not None:
        messages.success(request, done)
        target = "assessments:visit" if side == "buyer" else "assessments:provider_visit"
        return redirect(target, org=membership.organisation.slug, visit_id=visit.pk)
    return _visit_page(request, membership, visit, side, **{name: form})


def _by_own_people(
    request: PageRequest, membership: Membership, visit_id: int, report: bool
) -> HttpResponse:
    """A finding or report of a visit the buyer's own people do; a provider's visit is recorded
    by the provider, and the buyer is sent back to the visit."""
    found = get_scoped_or_404(_visits(Visit.objects.all()), membership, pk=visit_id)
    if found.provider_id is not None:
        messages.error(request, _("The service provider records this visit and its findings."))
        return redirect("assessments:visit", org=membership.organisation.slug, visit_id=found.pk)
    return _record(request, membership, found, "buyer", report=report)


@organisation_view()
def finding_create(request: PageRequest, membership: Membership, visit_id: int) -> HttpResponse:
    return _by_own_people(request, membership, visit_id, report=False)


@organisation_view()
def visit_report(request: PageRequest, membership: Membership, visit_id: int) -> HttpResponse:
    return _by_own_people(request, membership, visit_id, report=True)


def _finding_page(
    request: PageRequest, membership: Membership, finding: Finding, **extra: Any
) -> HttpResponse:
    pending = finding.disputes.filter(outcome=Dispute.Outcome.PENDING).first()
    if pending is not None and membership.role != "viewer":
        extra.setdefault("resolve_form", forms.ResolveForm())
    context = org_context(membership, finding=finding, pending=pending, **extra)
    return render(request, "assessments/finding.html", context)


@organisation_view()
def finding(request: PageRequest, membership: Membership, finding_id: int) -> HttpResponse:
    found = get_scoped_or_404(
        FINDINGS.prefetch_related("files", "disputes__files"), membership, pk=finding_id
    )
    return _finding_page(request, membership, found)


@organisation_view()
@require_POST
def dispute_resolve(request: PageRequest, membership: Membership, dispute_id: int) -> HttpResponse:
    dispute = get_scoped_or_404(
        Dispute.objects.select_related("finding"), membership, pk=dispute_id
    )
    form = forms.ResolveForm(request.POST)
    call = lambda data: visits.dispute_resolve(dispute=dispute, by=request.user, **data)  # noqa: E731
    if submit(request, form, call) is not None:
        messages.success(request, _("Your decision was sent to the supplier."))
        return redirect(
            "assessments:finding", org=membership.organisation.slug, finding_id=dispute.finding_id
        )
    found = FINDINGS.prefetch_related("files", "disputes__files").get(pk=dispute.finding_id)
    return _finding_page(request, membership, found, resolve_form=form)


@organisation_view()
def file(request: PageRequest, membership: Membership, finding_file_id: int) -> HttpResponse:
    found = get_scoped_or_404(FindingFile.objects.all(), membership, pk=finding_file_id)
    return download(bytes(found.content), found.name, found.content_type)


# --- the service provider ------------------------------------------------------------------------


@organisation_view()
def provider_visits(request: PageRequest, membership: Membership) -> HttpResponse:
    page = paginate(request, _visits(granted(Visit.objects.newest_first(), membership)))
    return render(request, "assessments/assignments.html", org_context(membership, page=page))


@organisation_view()
def provider_visit(request: PageRequest, membership: Membership, visit_id: int) -> HttpResponse:
    found = get_granted_or_404(_visits(Visit.objects.all()), membership, pk=visit_id)
    return _visit_page(request, membership, found, "provider")


@organisation_view()
def provider_finding_create(
    request: PageRequest, membership: Membership, visit_id: int
) -> HttpResponse:
    found = get_granted_or_404(_visits(Visit.objects.all()), membership, pk=visit_id)
    return _record(request, membership, found, "provider", report=False)


@organisation_view()
def provider_visit_report(
    request: PageRequest, membership: Membership, visit_id: int
) -> HttpResponse:
    found = get_granted_or_404(_visits(Visit.objects.all()), membership, pk=visit_id)
    return _record(request, membership, found, "provider", report=True)


@organisation_view()
def provider_file(
    request: PageRequest, membership: Membership, finding_file_id: int
) -> HttpResponse:
    found = get_granted_or_404(FindingFile.objects.all(), membership, pk=finding_file_id)
    return download(bytes(found.content), found.name, found.content_type)


# --- the supplier --------------------------------------------------------------------------------


def _seen(membership: Membership, finding_id: int) -> Finding:
    """A finding at one of the supplier's sites, once its visit is no secret."""
    return get_as_supplier_or_404(
        FINDINGS.seen_by_supplier().prefetch_related("disputes__files"),
        membership,
        pk=finding_id,
    )


@organisation_view()
def workspace_findings(request: PageRequest, membership: Membership) -> HttpResponse:
    """The findings about the supplier's sites, and the visits it is told of in advance (never
    an unannounced one before its day)."""
    org = membership.organisation
    coming = (
        VisitSite.objects.shared_with(org)
        .filter(seen_by_supplier("visit"), visit__visit_on__gte=timezone.localdate())
        .select_related("visit__organisation", "relationship__facility")
        .order_by("visit__visit_on")
    )
    page = paginate(request, exports.supplier_findings(membership, request.GET))
    context = org_context(membership, page=page, coming=coming)
    return render(request, "assessments/workspace_findings.html", context)


def _workspace_page(
    request: PageRequest, membership: Membership, finding: Finding, form: Any = None
) -> HttpResponse:
    if form is None and finding.state == Finding.State.STANDS and membership.role != "viewer":
        form = forms.DisputeForm()
    context = org_context(membership, finding=finding, dispute_form=form)
    return render(request, "assessments/workspace_finding.html", context)


@organisation_view()
def workspace_finding(
    request: PageRequest, membership: Membership, finding_id: int
) -> HttpResponse:
    return _workspace_page(request, membership, _seen(membership, finding_id))


@organisation_view()
@require_POST
def workspace_dispute(
    request: PageRequest, membership: Membership, finding_id: int
) -> HttpResponse:
    found = _seen(membership, finding_id)
    form = forms.DisputeForm(request.POST, request.FILES or None)
    call = lambda data: visits.dispute_raise(finding=found, by=request.user, **data)  # noqa: E731
    if submit(request, form, call) is not None:
        messages.success(request, _("Your dispute was sent to the buyer."))
        return redirect(
            "assessments:workspace_finding", org=membership.organisation.slug, finding_id=found.pk
        )
    return _workspace_page(request, membership, found, form)


@organisation_view()
def workspace_file(
    request: PageRequest, membership: Membership, finding_file_id: int
) -> HttpResponse:
    """Only the files the supplier sent with its disputes: an auditor's photos and notes may
    show who spoke to it."""
    found = get_as_supplier_or_404(
        FindingFile.objects.filter(dispute__isnull=False).filter(
            seen_by_supplier("finding__visit")
        ),
        membership,
        pk=finding_file_id,
    )
    return download(bytes(found.content), found.name, found.content_type)
