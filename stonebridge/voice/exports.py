"""The grievance cases and remedies as files: the rows the list pages show, with the same
filters, in the reader's language."""

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from stonebridge.accounts.access import received, scoped, visible
from stonebridge.accounts.models import Membership, Organisation
from stonebridge.downloads.listing import Listing, local_date, yes_no
from stonebridge.supplychain.models import Facility

from . import case_forms, procedure_forms
from . import case_queries as queries
from .models import Case, Meeting, Remedy, RemedyMilestone, Survey
from .services.deadlines import not_acknowledged, not_answered


def case_facilities(membership: Membership) -> QuerySet[Facility]:
    return Facility.objects.filter(
        pk__in=received(Case.objects.all(), membership).values("facility")
    )


def filtered_cases(
    membership: Membership, params: QueryDict
) -> tuple[QuerySet[Case], case_forms.CaseFilterForm]:
    """The organisation's cases with the list's filters, in triage order; the form that read
    them."""
    cases = received(Case.objects.all(), membership)
    form = case_forms.CaseFilterForm(params or None, facilities=case_facilities(membership))
    if form.is_valid():
        data = form.cleaned_data
        if data["number"]:
            cases = cases.filter(number__contains=data["number"].strip())
        for field in ("state", "topic", "urgency", "facility"):
            if data[field]:
                cases = cases.filter(**{field: data[field]})
        if data["overdue"]:
            today = timezone.localdate()
            cases = cases.filter(not_acknowledged(today) | not_answered(today))
    return queries.triage_order(cases), form


CASES = Listing(
    key="stonebridge.voice.exports.CASES",
    title=lambda: _("Grievance cases"),
    filename="grievance-cases",
    page="voice:case_list",
    headers=lambda: [
        _("Case number"),
        _("Urgency"),
        _("Topic"),
        _("Facility"),
        _("State"),
        _("Overdue"),
        _("Received"),
        _("Respond by"),
    ],
    rows=lambda membership, params: filtered_cases(membership, params)[0],
    line=lambda case: [
        case.number,
        case.get_urgency_display(),
        case.get_topic_display(),
        str(case.facility) if case.facility_id else "",
        case.get_state_display(),
        yes_no(case.is_overdue),
        local_date(case.received_at),
        case.respond_by,
    ],
)


def filtered_remedies(
    membership: Membership, params: QueryDict
) -> tuple[QuerySet[Remedy], procedure_forms.RemedyFilter]:
    """The remedies the organisation opened or that concern its sites, newest first, with the
    list's filters; the form that read them."""
    late = RemedyMilestone.objects.filter(
        remedy=OuterRef("pk"), done_at__isnull=True, due_on__lt=timezone.localdate()
    )
    found = (
        visible(Remedy.objects.select_related("facility", "organisation"), membership)
        .annotate(late=Exists(late))
        .order_by("-opened_at", "-pk")
    )
    filters = procedure_forms.RemedyFilter(params or None)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["state"]:
            found = found.filter(state=data["state"])
        if data["kind"]:
            found = found.filter(kind=data["kind"])
        if data["overdue"]:
            found = found.filter(late=True)
    return found, filters


REMEDIES = Listing(
    key="stonebridge.voice.exports.REMEDIES",
    title=lambda: _("Remedies"),
    filename="remedies",
    page="voice:remedies",
    headers=lambda: [
        _("Kind of remedy"),
        _("Site"),
        _("Workers covered"),
        _("State"),
        _("Milestone overdue"),
        _("Opened"),
        _("Buyer"),
    ],
    rows=lambda membership, params: filtered_remedies(membership, params)[0],
    line=lambda remedy: [
        remedy.get_kind_display(),
        str(remedy.facility),
        remedy.workers_covered,
        remedy.get_state_display(),
        yes_no(remedy.late),
        local_date(remedy.opened_at),
        remedy.organisation.name,
    ],
)


def surveys(membership: Membership, params: QueryDict) -> QuerySet[Survey]:
    """The buyer's worker surveys, as its survey page lists them."""
    return scoped(Survey.objects.select_related("facility"), membership)


SURVEYS = Listing(
    key="stonebridge.voice.exports.SURVEYS",
    title=lambda: _("Surveys"),
    filename="worker-surveys",
    page="voice:survey_list",
    headers=lambda: [_("Title"), _("Facility"), _("Opens"), _("Closes"), _("Status")],
    rows=surveys,
    line=lambda survey: [
        survey.title,
        str(survey.facility),
        survey.opens_on,
        survey.closes_on,
        _("Closed, results published") if survey.closed_at else _("Taking answers"),
    ],
)


def meetings(membership: Membership, params: QueryDict) -> QuerySet[Meeting]:
    """The factory's dialogue meetings, newest first, as its meetings page lists them; a buyer
    has no such page."""
    if membership.organisation.kind != Organisation.Kind.SUPPLIER:
        raise Http404
    return scoped(Meeting.objects.select_related("facility"), membership)


MEETINGS = Listing(
    key="stonebridge.voice.exports.MEETINGS",
    title=lambda: _("Dialogue meetings"),
    filename="dialogue-meetings",
    page="voice:factory_meetings",
    headers=lambda: [
        _("Held on"),
        _("Facility"),
        _("Workers taking part"),
        _("Topics discussed"),
        _("Minutes"),
        _("Agreed follow-up"),
    ],
    rows=meetings,
    line=lambda meeting: [
        meeting.held_on,
        str(meeting.facility) if meeting.facility_id else "",
        meeting.workers_present,
        meeting.topics,
        meeting.minutes,
        meeting.follow_up,
    ],
)
