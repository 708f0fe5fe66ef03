"""Outcome indicators: workers' actual conditions, not papers signed (guidance: outcomes over
procedures). Each says which salient issue it shows progress on and which way is better."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class LegalLimit:
    """The most the law allows for an outcome, with where it says so (DOMAIN.md)."""

    value: Decimal
    source: Promise


# 40 hours a week (State Council Provisions on Working Hours, 1995, Art. 3) plus at most 36 hours
# of overtime a month (Labour Law Art. 41): 40 + 36 × 12 ÷ 52 = 48.3 hours a week on average.
WEEKLY_HOURS_LIMIT = LegalLimit(
    Decimal("48.3"),
    _("State Council Provisions on Working Hours (1995) Art. 3; Labour Law Art. 41"),
)


@dataclass(frozen=True)
class OutcomeIndicator:
    code: str
    label: Promise
    unit: str
    lower_is_better: bool
    issue: str
    legal_limit: LegalLimit | None = None


OUTCOMES = [
    OutcomeIndicator(
        "weekly_hours",
        _("Average weekly working hours"),
        "h",
        True,
        "HOURS_WAGES",
        WEEKLY_HOURS_LIMIT,
    ),
    OutcomeIndicator(
        "rest_day_share", _("Workers with a rest day every week"), "%", False, "HOURS_WAGES"
    ),
    OutcomeIndicator(
        "min_wage_share", _("Workers paid at least the minimum wage"), "%", False, "HOURS_WAGES"
    ),
    OutcomeIndicator(
        "contract_share", _("Workers with a written contract"), "%", False, "CONTRACTS"
    ),
    OutcomeIndicator(
        "insurance_share", _("Workers with social insurance"), "%", False, "SOCIAL_SECURITY"
    ),
    OutcomeIndicator(
        "injury_insurance_share",
        _("Workers with work-injury insurance"),
        "%",
        False,
        "SOCIAL_SECURITY",
    ),
    OutcomeIndicator(
        "respirable_dust", _("Respirable dust at work stations"), "mg/m³", True, "OHS"
    ),
    OutcomeIndicator("recordable_injuries", _("Recordable injuries per quarter"), "", True, "OHS"),
    OutcomeIndicator(
        "health_check_share",
        _("Dust-exposed workers with an occupational health check this year"),
        "%",
        False,
        "OHS",
    ),
    OutcomeIndicator(
        "juveniles_hazardous", _("Workers under 18 in hazardous work"), "", True, "YOUTH"
    ),
    OutcomeIndicator(
        "grievances_resolved_share", _("Grievances resolved within 30 days"), "%", False, "VOICE"
    ),
    OutcomeIndicator(
        "trust_share", _("Workers who trust management (survey)"), "%", False, "VOICE"
    ),
    OutcomeIndicator(
        "stay_share", _("Workers planning to stay two years or more (survey)"), "%", False, "VOICE"
    ),
    OutcomeIndicator(
        "subcontractors_disclosed",
        _("Sub-contractors disclosed with name and address"),
        "",
        False,
        "TRANSPARENCY",
    ),
]

BY_CODE = {indicator.code: indicator for indicator in OUTCOMES}
# Units written differently in a reader's language: "h" is 小时 in Chinese.
UNIT_LABELS = {"h": pgettext_lazy("unit", "h")}
OUTCOME_CHOICES = [(indicator.code, indicator.label) for indicator in OUTCOMES]
