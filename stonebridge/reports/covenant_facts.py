"""Reading each covenant member's records into the facts `covenant.py` aggregates: a few grouped
queries over all members at once."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count

from stonebridge.accounts.models import Organisation
from stonebridge.engagement.collective import covenant_members
from stonebridge.engagement.models import Measure, Plan, Reading
from stonebridge.languages import in_reader_language
from stonebridge.risk.models import Issue, Score
from stonebridge.supplychain.models import ChainPosition, FacilityKind
from stonebridge.voice.models import CaseState, Remedy, RemedyState, Routing

from .covenant import MemberFacts

# StoneBridge default: a risk counts as a priority from this priority score (0-100) up.
PRIORITY_FROM = 50.0


def _per_member(rows: Iterable[tuple[int, int]]) -> dict[int, int]:
    return dict(rows)


def _improving_plans(members: list[int]) -> dict[int, int]:
    """Open plans with at least one outcome whose latest confirmed reading beats its baseline."""
    latest: dict[int, Reading] = {}
    readings = (
        Reading.objects.filter(
            measure__kind=Measure.Kind.OUTCOME,
            measure__action__plan__state=Plan.State.ACTIVE,
            measure__action__plan__relationship__organisation__in=members,
            confirmed_at__isnull=False,
        )
        .select_related("measure__action__plan__relationship")
        .order_by("measured_on", "pk")
    )
    for reading in readings:
        latest[reading.measure_id] = reading
    plans: dict[int, set[int]] = defaultdict(set)
    for reading in latest.values():
        if reading.measure.improved(reading.value):
            plan = reading.measure.action.plan
            plans[plan.relationship.organisation_id].add(plan.pk)
    return {org: len(ids) for org, ids in plans.items()}


def member_facts(covenant: Organisation) -> list[MemberFacts]:
    members = list(covenant_members(covenant).values_list("pk", flat=True))
    mapped = set(
        ChainPosition.objects.filter(
            organisation__in=members, facility__kind=FacilityKind.QUARRY
        ).values_list("organisation", flat=True)
    )
    risks: dict[int, dict[str, int]] = defaultdict(dict)
    for org, issue, n in (
        Score.objects.filter(organisation__in=members, priority__gte=PRIORITY_FROM)
        .values_list("organisation", "issue")
        .annotate(n=Count("pk"))
    ):
        risks[org][issue] = n
    plans_open = _per_member(
        Plan.objects.filter(relationship__organisation__in=members, state=Plan.State.ACTIVE)
        .values_list("relationship__organisation")
        .annotate(n=Count("pk"))
    )
    improving = _improving_plans(members)
    cases: dict[tuple[int, bool], int] = defaultdict(int)
    for org, state in Routing.objects.filter(organisation__in=members).values_list(
        "organisation", "case__state"
    ):
        cases[(org, state == CaseState.CLOSED)] += 1
    remedies: dict[tuple[int, bool], int] = defaultdict(int)
    for org, state in Remedy.objects.filter(organisation__in=members).values_list(
        "organisation", "state"
    ):
        remedies[(org, state in (RemedyState.DONE, RemedyState.VERIFIED))] += 1
    return [
        MemberFacts(
            mapped_to_quarry=org in mapped,
            priority_risks=risks.get(org, {}),
            plans_open=plans_open.get(org, 0),
            plans_improving=improving.get(org, 0),
            grievances_open=cases[(org, False)],
            grievances_closed=cases[(org, True)],
            remedies_open=remedies[(org, False)],
            remedies_done=remedies[(org, True)],
        )
        for org in members
    ]


def salient_issues() -> list[tuple[str, str]]:
    return [
        (issue.code, in_reader_language(issue.name_en, issue.name_zh))
        for issue in Issue.objects.order_by("order", "code")
    ]
