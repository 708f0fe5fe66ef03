"""The supplier's own grievance procedure (its deadlines, committee and dialogue meetings), and
its health as buyers that work with it see it: figures, never a case.

The procedure pages live under the supplier's organisation and exist only for a supplier's
organisation; the health pages under the buyer's, for a relationship whose supplier accepted
and which has not ended."""

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from stonebridge.accounts.access import get_scoped_or_404, organisation_view, scoped
from stonebridge.accounts.models import Membership, Organisation
from stonebridge.engagement.models import Relationship
from stonebridge.pages import PageRequest, attempt, org_context, paginate, submit

from . import procedure_forms as forms
from .health import MIN_ANSWERS
from .models import CommitteeMember, Meeting, Procedure, Topic
from .services import health as health_service
from .services import procedures


def _supplier(membership: Membership) -> Organisation:
    organisation = membership.organisation
    if organisation.kind != Organisation.Kind.SUPPLIER:
        raise Http404
    return organisation


def _procedure(membership: Membership) -> Procedure | None:
    return scoped(Procedure.objects.all(), membership).first()


@organisation_view()
def procedure(request: PageRequest, membership: Membership) -> HttpResponse:
    organisation = _supplier(membership)
    current = _procedure(membership)
    initial = (
        {
            "acknowledge_days": current.acknowledge_days,
            "respond_days": current.respond_days,
            "description": current.description,
            "contact": current.contact,
        }
        if current
        else None
    )
    form = forms.ProcedureForm(request.POST or None, initial=initial)
    saved = submit(
        request,
        form,
        lambda data: procedures.procedure_save(organisation=organisation, by=request.user, **data),
    )
    if saved is not None:
        messages.success(request, _("The grievance procedure is saved."))
        return redirect("voice:factory_procedure", org=organisation.slug)
    today = timezone.localdate()
    members = scoped(CommitteeMember.objects.all(), membership)
    return render(
        request,
        "voice/procedure.html",
        org_context(
            membership,
            procedure=current,
            form=form,
            members=[m for m in members if m.until is None or m.until > today],
            meetings=scoped(Meeting.objects.all(), membership)[:3],
        ),
    )


@organisation_view()
def committee(request: PageRequest, membership: Membership) -> HttpResponse:
    organisation = _supplier(membership)
    form = forms.MemberForm(request.POST or None)
    added = submit(
        request,
        form,
        lambda data: procedures.committee_member_add(
            organisation=organisation, by=request.user, **data
        ),
    )
    if added is not None:
        messages.success(request, _("%(name)s joined the committee.") % {"name": added.name})
        return redirect("voice:factory_committee", org=organisation.slug)
    today = timezone.localdate()
    members = list(scoped(CommitteeMember.objects.all(), membership))
    return render(
        request,
        "voice/committee.html",
        org_context(
            membership,
            procedure=_procedure(membership),
            form=form,
            current=[m for m in members if m.until is None or m.until > today],
            former=[m for m in members if m.until is not None and m.until <= today],
        ),
    )


@organisation_view()
def committee_remove(request: PageRequest, membership: Membership, member_id: int) -> HttpResponse:
    organisation = _supplier(membership)
    member = get_scoped_or_404(CommitteeMember.objects.all(), membership, pk=member_id)
    error = ""
    if request.method == "POST":
        removed, error = attempt(
            lambda: procedures.committee_member_remove(member=member, by=request.user)
        )
        if removed is not None:
            messages.success(request, _("%(name)s left the committee.") % {"name": member.name})
            return redirect("voice:factory_committee", org=organisation.slug)
    return render(
        request,
        "voice/committee_remove.html",
        org_context(membership, member=member, error=error),
    )


@organisation_view()
def meetings(request: PageRequest, membership: Membership) -> HttpResponse:
    _supplier(membership)
    found = scoped(Meeting.objects.select_related("facility"), membership)
    return render(
        request,
        "voice/meetings.html",
        org_context(
            membership, procedure=_procedure(membership), page=paginate(request, found, 20)
        ),
    )


@organisation_view()
def meeting_add(request: PageRequest, membership: Membership) -> HttpResponse:
    organisation = _supplier(membership)
    form = forms.MeetingForm(request.POST or None, organisation=organisation)
    made = submit(
        request,
        form,
        lambda data: procedures.meeting_record(organisation=organisation, by=request.user, **data),
    )
    if made is not None:
        messages.success(request, _("The meeting is recorded."))
        return redirect("voice:factory_meetings", org=organisation.slug)
    return render(
        request,
        "voice/procedure_form.html",
        org_context(membership, form=form, title=_("Record a dialogue meeting")),
    )


# --- health, for buyers -------------------------------------------------------------------------


def _working_with(membership: Membership) -> list[Relationship]:
    found = scoped(Relationship.objects.select_related("facility", "supplier"), membership)
    return [r for r in found.filter(supplier_accepted_at__isnull=False) if not r.ended]


@organisation_view()
def health_list(request: PageRequest, membership: Membership) -> HttpResponse:
    return render(
        request,
        "voice/health_list.html",
        org_context(membership, relationships=_working_with(membership)),
    )


def _period(request: PageRequest, today: date) -> tuple[date | None, date | None]:
    def read(name: str) -> date | None:
        try:
            return parse_date(request.GET.get(name) or "")
        except ValueError:
            return None

    start, end = read("start"), read("end")
    if end is not None and end > today:
        end = today
    if start is not None and end is not None and start > end:
        start = None
    return start, end


@organisation_view()
def health(request: PageRequest, membership: Membership, relationship_id: int) -> HttpResponse:
    relationship = get_scoped_or_404(
        Relationship.objects.select_related("facility", "supplier"),
        membership,
        pk=relationship_id,
    )
    today = timezone.localdate()
    start, end = _period(request, today)
    figures = health_service.procedure_health(
        relationship=relationship, today=today, start=start, end=end
    )
    topics = dict(Topic.choices)
    return render(
        request,
        "voice/health.html",
        org_context(
            membership,
            relationship=relationship,
            health=figures,
            by_topic=[(topics.get(code, code), count) for code, count in figures.by_topic],
            satisfied_percent=(
                round(figures.satisfied_share * 100)
                if figures.satisfied_share is not None
                else None
            ),
            min_answers=MIN_ANSWERS,
            procedure=Procedure.objects.filter(organisation=relationship.supplier).first(),
        ),
    )
