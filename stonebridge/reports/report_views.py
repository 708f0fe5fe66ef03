"""Pages of the annual due-diligence report: the figures per OECD step with what the buyer
writes beside them, the report files written in the background, and the covenant's reporting
year."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from stonebridge.accounts.access import get_scoped_or_404, organisation_view
from stonebridge.accounts.models import Membership, Organisation, Role
from stonebridge.pages import PageRequest, attachment, org_context, submit

from . import annual, services
from .models import ReportJob
from .report_forms import NarrativeForm, PeriodForm, ReportingPeriodForm, ReportRequestForm


def _buyer(membership: Membership) -> Organisation:
    # Only a buyer has a chain to report on; for anyone else the page does not exist.
    if not membership.organisation.has_chain:
        raise Http404
    return membership.organisation


def _period(request: HttpRequest, organisation: Organisation) -> annual.Period:
    """The period in the address (?from=…&to=…), or the last complete reporting year when the
    address holds none that a report can be gathered for."""
    asked = {"start": request.GET.get("from"), "end": request.GET.get("to")}
    form = PeriodForm(asked)
    if form.is_valid():
        period = annual.Period(form.cleaned_data["start"], form.cleaned_data["end"])
        if period.fits():
            return period
    if any(asked.values()):
        messages.warning(
            request,
            _(
                "That period cannot be reported on: it must end after it starts and cover at "
                "most two years. Showing your last complete reporting year instead."
            ),
        )
    return annual.default_period(organisation)


def _query(period: annual.Period) -> str:
    return "?" + urlencode({"from": period.start.isoformat(), "to": period.end.isoformat()})


@organisation_view()
def annual_report(request: PageRequest, membership: Membership) -> HttpResponse:
    organisation = _buyer(membership)
    period = _period(request, organisation)
    form = ReportRequestForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    job = submit(
        request,
        form,
        lambda data: services.report_job_start(
            organisation=organisation, by=request.user, period=period, **data
        ),
    )
    if job is not None:
        return redirect("reports:annual_job", org=organisation.slug, job_id=job.pk)
    report = annual.gather(organisation, period, "confidential")
    jobs = ReportJob.objects.filter(organisation=organisation).defer("content")[:10]
    return render(
        request,
        "reports/annual/report.html",
        org_context(
            membership,
            report=report,
            period=period,
            query=_query(period),
            period_form=PeriodForm(initial={"start": period.start, "end": period.end}),
            form=form,
            jobs=jobs,
            can_edit=membership.allows(Role.EDITOR),
        ),
    )


@organisation_view()
def annual_narrative(request: PageRequest, membership: Membership, step: int) -> HttpResponse:
    organisation = _buyer(membership)
    if step not in annual.STEPS:
        raise Http404
    period = _period(request, organisation)
    section = annual.gather_section(organisation, period, step)
    current = annual.gather_narrative(organisation, period, step)
    form = NarrativeForm(request.POST or None, initial={"text": current})
    saved = submit(
        request,
        form,
        lambda data: services.narrative_save(
            organisation=organisation, by=request.user, period=period, step=step, text=data["text"]
        ),
    )
    if saved is not None:
        url = reverse("reports:annual", kwargs={"org": organisation.slug})
        return redirect(f"{url}{_query(period)}#step-{step}")
    return render(
        request,
        "reports/annual/narrative.html",
        org_context(membership, section=section, period=period, query=_query(period), form=form),
    )


@vary_on_headers("HX-Request")
@organisation_view()
def annual_job(request: PageRequest, membership: Membership, job_id: int) -> HttpResponse:
    """How far a report has come, and the file once it is written."""
    job = get_scoped_or_404(ReportJob.objects.defer("content"), membership, pk=job_id)
    template = "reports/annual/_job_status.html" if request.htmx else "reports/annual/job.html"
    query = _query(annual.Period(job.period_start, job.period_end))
    return render(request, template, org_context(membership, job=job, query=query))


@organisation_view()
def annual_file(request: PageRequest, membership: Membership, job_id: int) -> HttpResponse:
    job = get_scoped_or_404(
        ReportJob.objects.filter(status=ReportJob.Status.DONE), membership, pk=job_id
    )
    return attachment(bytes(job.content or b""), job.filename, services.CONTENT_TYPES[job.fmt])


@organisation_view(write=Role.OWNER)
def reporting_period(request: PageRequest, membership: Membership) -> HttpResponse:
    """A covenant sets its members' reporting year; a member sees the year in force."""
    organisation = membership.organisation
    month, day = annual.year_start_for(organisation)
    is_covenant = organisation.kind == Organisation.Kind.COVENANT
    if request.method == "POST" and not is_covenant:
        raise Http404
    form = ReportingPeriodForm(
        request.POST or None, initial={"starts_month": month, "starts_day": day}
    )
    saved = submit(
        request,
        form,
        lambda data: services.reporting_period_set(covenant=organisation, by=request.user, **data),
    )
    if saved is not None:
        return redirect("reports:reporting_period", org=organisation.slug)
    return render(
        request,
        "reports/annual/period.html",
        org_context(
            membership,
            form=form,
            is_covenant=is_covenant,
            current=annual.period_containing(timezone.localdate(), month, day),
            last=annual.last_complete_period(timezone.localdate(), month, day),
        ),
    )
