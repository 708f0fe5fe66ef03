"""Pages of the wage-and-hours records check, for the buyer and for the supplier checking its
own facility: upload, progress, result, and the facility's working-hours approvals."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from stonebridge.accounts.access import get_visible_or_404, organisation_view
from stonebridge.accounts.models import Membership
from stonebridge.pages import PageRequest, attachment, org_context, paginate, submit

from . import queries
from .forms import HoursApprovalForm, RecordsCheckForm, RecordsFilesForm
from .models import HoursApproval
from .records_text import (
    indication_detail,
    indication_label,
    month_start,
    rule_label,
    source_label,
    violation_detail,
    worker_code,
)
from .services import records


@organisation_view()
def check_list(request: PageRequest, membership: Membership) -> HttpResponse:
    relationships = queries.records_facilities(membership)
    form = RecordsCheckForm(
        request.POST or None, request.FILES or None, relationships=relationships
    )
    check = submit(
        request,
        form,
        lambda data: records.records_check_submit(
            by=request.user,
            by_supplier=data["relationship"].organisation_id != membership.organisation_id,
            **data,
        ),
    )
    if check is not None:
        return redirect(
            "assessments:records_check", org=membership.organisation.slug, check_id=check.pk
        )
    context = org_context(
        membership, form=form, page=paginate(request, queries.records_checks(membership))
    )
    return render(request, "assessments/records/check_list.html", context)


@organisation_view()
def check_detail(request: PageRequest, membership: Membership, check_id: int) -> HttpResponse:
    check = get_visible_or_404(queries.records_checks(membership), membership, pk=check_id)
    violations = [
        {
            "worker": worker_code(v.worker),
            "month": month_start(v.month),
            "violation": v,
            "label": rule_label(v.rule),
            "detail": violation_detail(v.rule, v.month, v.figures, v.source),
            "source": source_label(v.source),
        }
        for v in check.violations.all()
    ]
    indications = [
        (indication_label(i.code), indication_detail(i.code, i.figures))
        for i in check.indications.all()
    ]
    template = (
        "assessments/records/_check_status.html"
        if request.htmx
        else "assessments/records/check_detail.html"
    )
    context = org_context(
        membership,
        check=check,
        violations=violations,
        indications=indications,
        rule_counts=sorted(
            (rule_label(rule), count) for rule, count in check.counts.get("rules", {}).items()
        ),
        again_form=RecordsFilesForm(),
    )
    return render(request, template, context)


@organisation_view()
@require_POST
def check_again(request: PageRequest, membership: Membership, check_id: int) -> HttpResponse:
    check = get_visible_or_404(queries.records_checks(membership), membership, pk=check_id)
    # Only the side that ran the check runs it again: the supplier cannot replace what the
    # buyer's own check found, nor the buyer put its files under the supplier's disclosure.
    if check.by_supplier != (check.relationship.organisation_id != membership.organisation_id):
        raise Http404
    form = RecordsFilesForm(request.POST, request.FILES)
    again = submit(
        request,
        form,
        lambda data: records.records_check_again(check=check, by=request.user, **data),
    )
    if again is None:
        context = org_context(
            membership, check=check, violations=[], indications=[], again_form=form
        )
        return render(request, "assessments/records/check_detail.html", context, status=400)
    return redirect(
        "assessments:records_check", org=membership.organisation.slug, check_id=check.pk
    )


@organisation_view()
def approval_list(request: PageRequest, membership: Membership) -> HttpResponse:
    relationships = queries.records_facilities(membership)
    form = HoursApprovalForm(
        request.POST or None, request.FILES or None, relationships=relationships
    )
    approval = submit(
        request, form, lambda data: records.hours_approval_record(by=request.user, **data)
    )
    if approval is not None:
        return redirect("assessments:records_approvals", org=membership.organisation.slug)
    context = org_context(
        membership, form=form, page=paginate(request, queries.hours_approvals(membership))
    )
    return render(request, "assessments/records/approval_list.html", context)


@organisation_view()
def approval_document(
    request: PageRequest, membership: Membership, approval_id: int
) -> HttpResponse:
    approval = get_visible_or_404(HoursApproval.objects.all(), membership, pk=approval_id)
    return attachment(bytes(approval.document), approval.document_name, approval.document_type)
