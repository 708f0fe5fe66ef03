"""Visits, questionnaires, the answers received, records checks and approvals, as their list
pages show them, as files; and the same for a service provider's assignments and the findings
and questionnaires in a supplier's workspace."""

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from stonebridge.accounts.access import granted, received, scoped
from stonebridge.accounts.models import Membership
from stonebridge.downloads.listing import Listing, local_date, yes_no

from . import queries, questionnaire_forms, questionnaire_queries
from .models import Finding, Visit, VisitSite
from .models.questionnaires import Questionnaire, Submission


def visits(membership: Membership, params: QueryDict) -> QuerySet[Visit]:
    """The buyer's visits, newest first, with the sites visited and how many findings."""
    sites = VisitSite.objects.select_related("relationship__facility")
    return (
        scoped(Visit.objects.newest_first(), membership)
        .select_related("provider")
        .prefetch_related(Prefetch("visit_sites", queryset=sites))
        .annotate(finding_count=Count("findings", distinct=True))
    )


def _visit_line(visit: Any) -> list[object]:
    return [
        visit.get_kind_display(),
        visit.visit_on,
        "; ".join(str(site.relationship.facility) for site in visit.visit_sites.all()),
        visit.provider.name if visit.provider else _("Done by your own people"),
        visit.access_until,
        visit.finding_count,
    ]


VISITS = Listing(
    key="stonebridge.assessments.exports.VISITS",
    title=lambda: _("Visits"),
    filename="visits",
    page="assessments:visits",
    headers=lambda: [
        _("Type of visit"),
        _("Date of the visit"),
        _("Sites"),
        _("Done by"),
        _("Access until"),
        _("Findings"),
    ],
    rows=visits,
    line=_visit_line,
)


def filtered_questionnaires(
    membership: Membership, params: QueryDict
) -> tuple[QuerySet[Questionnaire], questionnaire_forms.SearchForm]:
    """The organisation's own questionnaires, its covenant's and StoneBridge's, searched."""
    search = questionnaire_forms.SearchForm(params)
    questionnaires = (
        questionnaire_queries.questionnaires_for(membership.organisation)
        .select_related("owner")
        .prefetch_related("versions")
        .order_by("title_en", "pk")
    )
    if search.is_valid() and search.cleaned_data["q"]:
        words = search.cleaned_data["q"]
        questionnaires = questionnaires.filter(
            Q(title_en__icontains=words) | Q(title_zh__icontains=words) | Q(slug__icontains=words)
        )
    return questionnaires, search


def _questionnaire_line(questionnaire: Any) -> list[object]:
    latest = next(iter(questionnaire.versions.all()), None)
    return [
        questionnaire.title_en,
        questionnaire.title_zh,
        questionnaire.owner.name if questionnaire.owner else "StoneBridge",
        latest.number if latest else None,
        "" if latest is None else (_("published") if latest.published_at else _("draft")),
    ]


QUESTIONNAIRES = Listing(
    key="stonebridge.assessments.exports.QUESTIONNAIRES",
    title=lambda: _("Questionnaires"),
    filename="questionnaires",
    page="assessments:questionnaires",
    headers=lambda: [
        _("Title in English"),
        _("Title in Chinese"),
        _("From"),
        _("Latest version"),
        _("Status"),
    ],
    rows=lambda membership, params: filtered_questionnaires(membership, params)[0],
    line=_questionnaire_line,
)


def submissions(membership: Membership, params: QueryDict) -> QuerySet[Submission]:
    """The answers sent to the organisation, or shared with it, newest first."""
    return (
        received(Submission.objects.exclude(status="draft"), membership)
        .select_related("version", "organisation", "buyer")
        .order_by("-submitted_at", "-pk")
    )


def _submission_line(answers: Any) -> list[object]:
    return [
        answers.organisation.name,
        answers.version.title_en,
        answers.version.title_zh,
        answers.submitted_at.date() if answers.submitted_at else None,
        answers.get_status_display(),
        answers.buyer.name,
    ]


SUBMISSIONS = Listing(
    key="stonebridge.assessments.exports.SUBMISSIONS",
    title=lambda: _("Answers received"),
    filename="questionnaire-answers",
    page="assessments:submissions",
    headers=lambda: [
        _("Supplier"),
        _("Title in English"),
        _("Title in Chinese"),
        _("Sent"),
        _("Status"),
        _("Sent to"),
    ],
    rows=submissions,
    line=_submission_line,
)


def _records_check_line(check: Any) -> list[object]:
    return [
        check.relationship.facility.name_zh,
        check.relationship.facility.name_en,
        check.period_start,
        check.period_end,
        check.get_status_display(),
        check.violation_count if check.status == "done" else None,
        check.relationship.organisation.name,
    ]


RECORDS_CHECKS = Listing(
    key="stonebridge.assessments.exports.RECORDS_CHECKS",
    title=lambda: _("Wage-and-hours records"),
    filename="records-checks",
    page="assessments:records_checks",
    headers=lambda: [
        _("Facility (Chinese)"),
        _("Facility (English or pinyin)"),
        _("From"),
        _("Until"),
        _("Status"),
        _("Violations"),
        _("Buyer"),
    ],
    rows=lambda membership, params: queries.records_checks(membership),
    line=_records_check_line,
)


def _hours_approval_line(approval: Any) -> list[object]:
    return [
        approval.relationship.facility.name_zh,
        approval.relationship.facility.name_en,
        approval.posts,
        approval.get_period_display(),
        approval.valid_from,
        approval.valid_until,
        approval.reference,
        yes_no(approval.by_supplier),
        approval.relationship.organisation.name,
    ]


HOURS_APPROVALS = Listing(
    key="stonebridge.assessments.exports.HOURS_APPROVALS",
    title=lambda: _("Approvals of the comprehensive working-hours system"),
    filename="working-hours-approvals",
    page="assessments:records_approvals",
    headers=lambda: [
        _("Facility (Chinese)"),
        _("Facility (English or pinyin)"),
        _("Posts"),
        _("Period"),
        _("Valid from"),
        _("Valid until"),
        _("Approval number"),
        _("Put on record by the supplier"),
        _("Buyer"),
    ],
    rows=lambda membership, params: queries.hours_approvals(membership),
    line=_hours_approval_line,
)


# --- the service provider's assignments and the supplier's workspace ---------------------------


def assignments(membership: Membership, params: QueryDict) -> QuerySet[Visit]:
    """The visits buyers asked the service provider to do, while its access lasts."""
    sites = VisitSite.objects.select_related("relationship__facility")
    return (
        granted(Visit.objects.newest_first(), membership)
        .select_related("organisation")
        .prefetch_related(Prefetch("visit_sites", queryset=sites))
        .annotate(finding_count=Count("findings", distinct=True))
    )


ASSIGNMENTS = Listing(
    key="stonebridge.assessments.exports.ASSIGNMENTS",
    title=lambda: _("Assignments"),
    filename="assignments",
    page="assessments:provider_visits",
    headers=lambda: [
        _("Type of visit"),
        _("Date of the visit"),
        _("Sites"),
        _("Buyer"),
        _("Access until"),
        _("Findings"),
    ],
    rows=assignments,
    line=lambda visit: [
        visit.get_kind_display(),
        visit.visit_on,
        "; ".join(str(site.relationship.facility) for site in visit.visit_sites.all()),
        visit.organisation.name,
        visit.access_until,
        visit.finding_count,
    ],
)


def supplier_findings(membership: Membership, params: QueryDict) -> QuerySet[Finding]:
    """The findings about the supplier's sites it may know of (never one of an unannounced
    visit before its day), the latest visit first."""
    return (
        Finding.objects.shared_with(membership.organisation)
        .seen_by_supplier()
        .select_related("relationship__facility", "issue", "visit__organisation")
        .order_by("-visit__visit_on", "-pk")
    )


SUPPLIER_FINDINGS = Listing(
    key="stonebridge.assessments.exports.SUPPLIER_FINDINGS",
    title=lambda: _("Findings"),
    filename="findings",
    page="assessments:workspace_findings",
    headers=lambda: [
        _("Issue"),
        _("Severity"),
        _("State"),
        _("Facility (Chinese)"),
        _("Facility (English or pinyin)"),
        _("Date of the visit"),
        _("Buyer"),
    ],
    rows=supplier_findings,
    line=lambda finding: [
        finding.issue.name,
        finding.get_severity_display(),
        finding.get_state_display(),
        finding.relationship.facility.name_zh,
        finding.relationship.facility.name_en,
        finding.visit.visit_on,
        finding.visit.organisation.name,
    ],
)


def supplier_submissions(membership: Membership, params: QueryDict) -> QuerySet[Submission]:
    """The questionnaires buyers sent the supplier, the latest first, with how many of the
    buyers' questions about its answers wait for a reply."""
    return (
        scoped(Submission.objects.select_related("version", "buyer"), membership)
        .annotate(
            open_follow_ups=Count(
                "answers__follow_ups", filter=Q(answers__follow_ups__replied_at__isnull=True)
            )
        )
        .order_by("-started_at", "-pk")
    )


SUPPLIER_QUESTIONNAIRES = Listing(
    key="stonebridge.assessments.exports.SUPPLIER_QUESTIONNAIRES",
    title=lambda: _("Questionnaires"),
    filename="questionnaires",
    page="assessments:workspace_questionnaires",
    headers=lambda: [
        _("Title in Chinese"),
        _("Title in English"),
        _("Buyer"),
        _("Status"),
        _("Sent"),
        _("Questions to reply to"),
    ],
    rows=supplier_submissions,
    line=lambda answers: [
        answers.version.title_zh,
        answers.version.title_en,
        answers.buyer.name,
        answers.get_status_display(),
        local_date(answers.submitted_at),
        answers.open_follow_ups,
    ],
)
