"""The covenant secretariat's figures over the API: the same figures as its page of members'
progress, each built from at least three members or withheld with the reason, never with the
number of members behind it (DESIGN.md, rule 2). Only the covenant's own people reach it; a
member of the covenant, or anyone else, gets 404."""

from django.http import Http404
from ninja import Field, Router, Schema

from stonebridge.accounts.access import membership_for
from stonebridge.accounts.api import ERRORS, ApiRequest
from stonebridge.accounts.models import Organisation

from . import covenant
from .covenant_facts import PRIORITY_FROM, member_facts, salient_issues

router = Router(tags=["reports"])


class CovenantFigureOut(Schema):
    label: str
    value: int | None = Field(..., description="Null when withheld; a share in whole per cent")
    percent: bool
    withheld: bool
    reason: str = Field(..., description="Why the figure is withheld; empty when shown")


class CovenantProgressOut(Schema):
    covenant: str
    members: int
    enough_members: bool
    priority_from: int = Field(..., description="Priority score from which a risk counts")
    chain: list[CovenantFigureOut]
    risks: list[CovenantFigureOut] = Field(..., description="One per salient issue")
    plans: list[CovenantFigureOut]
    grievances: list[CovenantFigureOut]


def _figures(figures: list[covenant.Figure]) -> list[dict[str, object]]:
    # The figure's own count of members stays out: for a withheld figure it is the very number
    # of fewer than three members that withholding protects.
    return [
        {
            "label": str(f.label),
            "value": f.value if f.shown else None,
            "percent": f.percent,
            "withheld": not f.shown,
            "reason": str(f.reason) if not f.shown else "",
        }
        for f in figures
    ]


@router.get("/organisations/{org}/covenant/progress", response={200: CovenantProgressOut, **ERRORS})
def covenant_progress(request: ApiRequest, org: str):
    """The members' progress: chain transparency, priority risks by salient issue, improvement
    plans, grievances and remedies."""
    membership = membership_for(request.auth, org)
    if membership.organisation.kind != Organisation.Kind.COVENANT:
        raise Http404
    found = covenant.progress(member_facts(membership.organisation), salient_issues())
    return {
        "covenant": membership.organisation.slug,
        "members": found.members,
        "enough_members": found.enough_members,
        "priority_from": int(PRIORITY_FROM),
        "chain": _figures(found.chain),
        "risks": _figures(found.risks),
        "plans": _figures(found.plans),
        "grievances": _figures(found.grievances),
    }
