"""Who in a covenant may see what of collective leverage (guidance: use leverage with the
suppliers several members share).

A member sees the collective engagements at the suppliers it buys from (its sourcing) and those it
takes part in; nobody outside the covenant sees any. Members are counted on a shared supplier only
when at least three buy there, or when every member concerned agreed to be counted
(`CovenantSharing.count_when_few`); a member is named to another only when both agreed. In a
collective engagement the participants show as a count, with the names of those who agreed to be
named, and only to a participant who agreed to be named too.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from stonebridge.accounts.models import Membership, Organisation
from stonebridge.supplychain.models import Facility, Sourcing

from .models import CollectiveEngagement, CollectiveParticipant, CovenantSharing

# Never a figure from fewer than three members (DESIGN.md, rule 2): with two, each learns the
# other's purchases from the count alone.
MIN_MEMBERS = 3


def covenant_members(covenant: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.filter(covenant=covenant, kind=Organisation.Kind.BUYER)


def bought_from(organisation: Organisation) -> QuerySet[Facility]:
    """The suppliers the member buys from directly."""
    return Facility.objects.filter(sourcing__organisation=organisation)


def buys_from(organisation: Organisation, facility: Facility) -> bool:
    return Sourcing.objects.filter(organisation=organisation, facility=facility).exists()


def sharing_of(organisation: Organisation) -> CovenantSharing:
    """The member's setting, or the default (nothing shared) when it never chose."""
    found = CovenantSharing.objects.filter(organisation=organisation).first()
    return found or CovenantSharing(organisation=organisation)


def visible_collectives(organisation: Organisation) -> QuerySet[CollectiveEngagement]:
    if organisation.covenant_id is None:
        return CollectiveEngagement.objects.none()
    taking_part = CollectiveParticipant.objects.filter(organisation=organisation).values(
        "collective"
    )
    return (
        CollectiveEngagement.objects.filter(covenant_id=organisation.covenant_id)
        .filter(Q(facility__in=bought_from(organisation).values("pk")) | Q(pk__in=taking_part))
        .select_related("facility")
    )


def with_participants(
    collectives: QuerySet[CollectiveEngagement],
) -> QuerySet[CollectiveEngagement]:
    return collectives.prefetch_related(
        Prefetch(
            "participants",
            queryset=CollectiveParticipant.objects.select_related("organisation"),
        )
    )


def get_collective_or_404(membership: Membership, collective_id: int) -> CollectiveEngagement:
    found = (
        with_participants(visible_collectives(membership.organisation))
        .filter(pk=collective_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def participation(
    collective: CollectiveEngagement, organisation: Organisation
) -> CollectiveParticipant | None:
    return collective.participants.filter(organisation=organisation, left_at__isnull=True).first()


@dataclass(frozen=True)
class Participants:
    """What one reader may learn about who takes part: how many, and the names it may see."""

    count: int
    named: list[str]


def participants_for(collective: CollectiveEngagement, reader: Organisation | None) -> Participants:
    """Names only of participants who agreed to be named, and only for a reader who agreed to be
    named as well (`reader=None`: the covenant's secretariat, which sees those who agreed)."""
    # Read from the prefetched rows when the caller has them (`with_participants`).
    active = [p for p in collective.participants.all() if p.left_at is None]
    if reader is None:
        reader_agreed = True
    else:
        own = next((p for p in active if p.organisation_id == reader.pk), None)
        reader_agreed = own is not None and own.named_to_others
    named = [
        p.organisation.name
        for p in active
        if p.named_to_others
        and reader_agreed
        and (reader is None or p.organisation_id != reader.pk)
    ]
    return Participants(count=len(active), named=sorted(named))


@dataclass(frozen=True)
class SharedSupplier:
    """A supplier several members buy from: how many, when that may be shown, and the members
    the reader may see named."""

    facility: Facility
    members: int | None  # None: withheld
    named: list[str]


def shared_suppliers(
    covenant: Organisation, reader: Organisation | None = None
) -> tuple[list[SharedSupplier], int]:
    """The suppliers at least two members buy from, each with its count when three or more buy
    there or all those concerned agreed to be counted; and how many shared suppliers are left
    out because neither holds. With a reader (a member), only the suppliers it buys from, with
    the other members named that agreed, if it agreed too, and nothing about those left out;
    the secretariat sees no names."""
    buyers: dict[int, set[int]] = defaultdict(set)
    for facility_id, organisation_id in Sourcing.objects.filter(
        organisation__covenant=covenant, organisation__kind=Organisation.Kind.BUYER
    ).values_list("facility_id", "organisation_id"):
        buyers[facility_id].add(organisation_id)
    shared = {f: orgs for f, orgs in buyers.items() if len(orgs) >= 2}
    if reader is not None:
        shared = {f: orgs for f, orgs in shared.items() if reader.pk in orgs}
    settings = {
        s.organisation_id: s
        for s in CovenantSharing.objects.filter(organisation__covenant=covenant).select_related(
            "organisation"
        )
    }
    reader_named = (
        reader is not None and reader.pk in settings and settings[reader.pk].named_to_members
    )
    facilities = Facility.objects.in_bulk(list(shared))
    shown: list[SharedSupplier] = []
    withheld = 0
    for facility_id, orgs in shared.items():
        all_agreed = all(o in settings and settings[o].count_when_few for o in orgs)
        if len(orgs) < MIN_MEMBERS and not all_agreed:
            # Only the secretariat hears how many are left out. A member would learn from it
            # that one other member buys from one of its suppliers, and, adding a supplier to
            # its own list and looking again, from which.
            if reader is None:
                withheld += 1
            continue
        named = (
            sorted(
                settings[o].organisation.name
                for o in orgs
                if o != reader.pk and o in settings and settings[o].named_to_members
            )
            if reader is not None and reader_named
            else []
        )
        shown.append(SharedSupplier(facilities[facility_id], len(orgs), named))
    shown.sort(key=lambda s: (-(s.members or 0), str(s.facility)))
    return shown, withheld
