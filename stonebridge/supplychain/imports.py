"""Pages for importing and exporting supplier lists (the work is in importing/ and exporting.py)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from stonebridge.accounts.access import get_scoped_or_404, get_shared_or_404, organisation_view
from stonebridge.accounts.models import Membership
from stonebridge.pages import PageRequest, attachment, attempt, org_context, paginate

from . import exporting, importing, services
from .forms import ImportForm
from .models import Facility, ImportJob

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@organisation_view()
def import_list(request: PageRequest, membership: Membership) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["kind"] != ImportJob.Kind.FACILITIES:
            services.require_chain(membership.organisation)
        upload = form.cleaned_data["file"]
        job = importing.import_start(
            organisation=membership.organisation,
            by=request.user,
            data=upload.read(),
            filename=upload.name,
            kind=form.cleaned_data["kind"],
            fmt=form.cleaned_data["format"],
        )
        return redirect("supplychain:import", org=membership.organisation.slug, import_id=job.pk)
    jobs = exporting.import_jobs(membership, request.GET)
    context = org_context(
        membership,
        form=form,
        page=paginate(request, jobs),
        kinds=ImportJob.Kind.choices,
    )
    return render(request, "supplychain/import_list.html", context)


@organisation_view()
def import_detail(request: PageRequest, membership: Membership, import_id: int) -> HttpResponse:
    job = get_scoped_or_404(ImportJob.objects.defer("data"), membership, pk=import_id)
    template = (
        "supplychain/_import_status.html" if request.htmx else "supplychain/import_detail.html"
    )
    undoable = importing.can_undo(job)
    context = org_context(
        membership,
        job=job,
        page=paginate(request, job.outcomes.select_related("facility", "link__supplier")),
        undoable=undoable,
        blockers=importing.undo_blockers(job) if undoable else [],
    )
    return render(request, template, context)


@organisation_view()
def import_undo(request: PageRequest, membership: Membership, import_id: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("supplychain:import", org=membership.organisation.slug, import_id=import_id)
    job = get_scoped_or_404(ImportJob.objects.defer("data"), membership, pk=import_id)
    _undone, error = attempt(lambda: importing.import_undo(job=job, by=request.user))
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The import is undone."))
    return redirect("supplychain:import", org=membership.organisation.slug, import_id=job.pk)


@organisation_view()
def import_decide(request: PageRequest, membership: Membership, import_id: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("supplychain:import", org=membership.organisation.slug, import_id=import_id)
    job = get_scoped_or_404(ImportJob.objects.all(), membership, pk=import_id)
    candidate_id = request.POST.get("candidate", "")
    if not candidate_id.isdigit():
        raise Http404
    candidate = get_shared_or_404(Facility.objects.all(), pk=int(candidate_id))
    _decided, error = attempt(
        lambda: importing.import_decide(
            job=job,
            by=request.user,
            row_key=request.POST.get("row_key", ""),
            candidate=candidate,
            same=request.POST.get("same") == "yes",
        )
    )
    if error:  # e.g. the same answer sent twice
        messages.error(request, error)
    else:
        messages.success(
            request, _("Your answer is saved and will be used for this list from now on.")
        )
    return redirect("supplychain:import", org=membership.organisation.slug, import_id=job.pk)


@organisation_view()
def import_template(
    request: PageRequest, membership: Membership, kind: str, ext: str
) -> HttpResponse:
    if kind not in ImportJob.Kind.values or ext not in CONTENT_TYPES:
        raise Http404
    return attachment(
        importing.template(kind, ext), f"stonebridge-{kind}.{ext}", CONTENT_TYPES[ext]
    )


@organisation_view()
def export(request: PageRequest, membership: Membership, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx", "oshub"):
        raise Http404
    return attachment(*exporting.export_file(membership.organisation, fmt))
