from django import template

from stonebridge.accounts.models import Organisation

from ..case_queries import counts, escalated_to
from ..models import Case

register = template.Library()


@register.simple_tag
def case_counts(organisation: Organisation) -> dict[str, int]:
    """Open and overdue cases routed to the organisation, for the grievances hub."""
    return counts(organisation)


@register.simple_tag
def escalated_cases(organisation: Organisation) -> list[Case]:
    return list(escalated_to(organisation))
