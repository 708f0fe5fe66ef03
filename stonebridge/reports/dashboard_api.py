"""The dashboard's figures over the API: the same figures, labels and list addresses as the
buyer's home page."""

from django.http import Http404
from ninja import Router, Schema

from stonebridge.accounts.access import membership_for
from stonebridge.accounts.api import ERRORS, ApiRequest

from .dashboard import gather

router = Router(tags=["reports"])


class DashboardFigureOut(Schema):
    key: str
    label: str
    value: float
    url: str
    previous: float | None = None
    unit: str = ""


class DashboardSectionOut(Schema):
    key: str
    title: str
    has_data: bool
    empty: str
    figures: list[DashboardFigureOut]
    bars: list[DashboardFigureOut]


class DashboardOut(Schema):
    organisation: str
    today: str
    since: str
    sections: list[DashboardSectionOut]


@router.get("/organisations/{org}/dashboard", response={200: DashboardOut, **ERRORS})
def dashboard(request: ApiRequest, org: str):
    """Where the buyer stands: chain transparency, top risks, plans and outcomes, overdue
    actions, red flags, grievances and remediation, and what changed in the last 90 days
    against the 90 before. Each figure names the page listing what it counts."""
    membership = membership_for(request.auth, org)
    if not membership.organisation.has_chain:
        raise Http404
    found = gather(membership.organisation)
    return {
        "organisation": membership.organisation.slug,
        "today": found.today.isoformat(),
        "since": found.since.isoformat(),
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "has_data": s.has_data,
                "empty": s.empty,
                "figures": s.figures,
                "bars": s.bars,
            }
            for s in found.sections
        ],
    }
