"""The covenant secretariat's pages: its members' progress as figures of three or more members,
the suppliers several members share, and the joint actions among them, without naming a member
that did not agree to be named."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render

from stonebridge.accounts.access import organisation_view
from stonebridge.accounts.models import Membership, Organisation
from stonebridge.engagement.collective import (
    participants_for,
    shared_suppliers,
    with_participants,
)
from stonebridge.engagement.models import CollectiveEngagement
from stonebridge.pages import PageRequest, org_context

from . import covenant
from .covenant_facts import PRIORITY_FROM, member_facts, salient_issues


def covenant_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page of the covenant's own people: members of any other organisation get a 404 from
    `organisation_view`, and a buyer's own pages have no covenant view to find."""

    @organisation_view()
    @wraps(view)
    def wrapper(request: PageRequest, membership: Membership, **kwargs: Any) -> HttpResponse:
        if membership.organisation.kind != Organisation.Kind.COVENANT:
            raise Http404
        return view(request, membership, **kwargs)

    return wrapper


@covenant_view
def progress(request: PageRequest, membership: Membership) -> HttpResponse:
    figures = covenant.progress(member_facts(membership.organisation), salient_issues())
    return render(
        request,
        "reports/covenant/progress.html",
        org_context(membership, progress=figures, priority_from=int(PRIORITY_FROM)),
    )


@covenant_view
def suppliers(request: PageRequest, membership: Membership) -> HttpResponse:
    shown, withheld = shared_suppliers(membership.organisation)
    return render(
        request,
        "reports/covenant/suppliers.html",
        org_context(membership, suppliers=shown, withheld=withheld),
    )


@covenant_view
def collectives(request: PageRequest, membership: Membership) -> HttpResponse:
    rows = []
    found = CollectiveEngagement.objects.filter(covenant=membership.organisation)
    for item in with_participants(found).select_related("facility"):
        who = participants_for(item, None)
        rows.append((item, covenant.participants_figure(who.count, len(who.named)), who.named))
    return render(
        request,
        "reports/covenant/collectives.html",
        org_context(membership, rows=rows),
    )
