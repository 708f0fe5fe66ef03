"""The thresholds of the records check, read from data (assessments/data/records_rules.json).

Every figure carries its source from DOMAIN.md; StoneBridge's own choices say so. The check takes
a `Rules` value, so an administrator's changed file or a test's variant needs no code change.
"""

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "records_rules.json"

DAILY_OVERTIME_CAP = "DAILY_OVERTIME_CAP"
MONTHLY_OVERTIME_CAP = "MONTHLY_OVERTIME_CAP"
NO_WEEKLY_REST = "NO_WEEKLY_REST"
OVERTIME_PAY_WORKDAY = "OVERTIME_PAY_WORKDAY"
OVERTIME_PAY_RESTDAY = "OVERTIME_PAY_RESTDAY"
OVERTIME_PAY_HOLIDAY = "OVERTIME_PAY_HOLIDAY"
MINIMUM_WAGE = "MINIMUM_WAGE"
INTERN_OVERTIME = "INTERN_OVERTIME"
INTERN_NIGHT = "INTERN_NIGHT"
CHILD_LABOUR = "CHILD_LABOUR"
JUVENILE_HAZARD = "JUVENILE_HAZARD"
NO_CONTRACT = "NO_CONTRACT"
DISPATCH_SHARE = "DISPATCH_SHARE"

RULE_CODES = (
    DAILY_OVERTIME_CAP,
    MONTHLY_OVERTIME_CAP,
    NO_WEEKLY_REST,
    OVERTIME_PAY_WORKDAY,
    OVERTIME_PAY_RESTDAY,
    OVERTIME_PAY_HOLIDAY,
    MINIMUM_WAGE,
    INTERN_OVERTIME,
    INTERN_NIGHT,
    CHILD_LABOUR,
    JUVENILE_HAZARD,
    NO_CONTRACT,
    DISPATCH_SHARE,
)


@dataclass(frozen=True)
class HazardousPost:
    """Words that name a post banned for juvenile workers, in English and Chinese."""

    keywords: tuple[str, ...]
    source: str

    def matches(self, post: str) -> bool:
        folded = post.casefold()
        return any(keyword in folded for keyword in self.keywords)


@dataclass(frozen=True)
class Rules:
    issues: dict[str, str]  # rule code → salient issue code (DOMAIN.md taxonomy)
    sources: dict[str, str]  # rule code → legal source
    threshold_sources: dict[str, str]
    standard_day_minutes: int
    daily_overtime_cap_minutes: int
    monthly_overtime_cap_minutes: int
    multiplier_workday: Decimal
    multiplier_restday: Decimal
    multiplier_holiday: Decimal
    hours_per_month: Decimal
    pay_tolerance: Decimal
    overtime_base_not_below_minimum_wage: bool
    minimum_wage_full_months_only: bool
    minimum_age: int
    adult_age: int
    intern_night_start_minute: int
    intern_night_end_minute: int
    contract_within_months: int
    dispatch_share_max: Decimal
    identical_times_min_days: int
    identical_times_worker_share: Decimal
    identical_times_min_workers: int
    identical_times_day_share: Decimal
    paid_hours_tolerance: Decimal
    hazardous_posts: tuple[HazardousPost, ...]

    def hazard(self, post: str) -> HazardousPost | None:
        """The first hazardous-post entry the post matches, if any."""
        for entry in self.hazardous_posts:
            if entry.matches(post):
                return entry
        return None


def _minute(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def load_rules(path: Path = DATA) -> Rules:
    data = json.loads(path.read_text(encoding="utf-8"))
    values = {name: entry["value"] for name, entry in data["thresholds"].items()}
    return Rules(
        issues={code: entry["issue"] for code, entry in data["rules"].items()},
        sources={code: entry["source"] for code, entry in data["rules"].items()},
        threshold_sources={name: entry["source"] for name, entry in data["thresholds"].items()},
        standard_day_minutes=int(Decimal(values["standard_day_hours"]) * 60),
        daily_overtime_cap_minutes=int(Decimal(values["daily_overtime_cap_hours"]) * 60),
        monthly_overtime_cap_minutes=int(Decimal(values["monthly_overtime_cap_hours"]) * 60),
        multiplier_workday=Decimal(values["overtime_multiplier_workday"]),
        multiplier_restday=Decimal(values["overtime_multiplier_restday"]),
        multiplier_holiday=Decimal(values["overtime_multiplier_holiday"]),
        hours_per_month=Decimal(values["hours_per_month"]),
        pay_tolerance=Decimal(values["pay_tolerance_cny"]),
        overtime_base_not_below_minimum_wage=(
            values["overtime_base_not_below_minimum_wage"] == "true"
        ),
        minimum_wage_full_months_only=values["minimum_wage_full_months_only"] == "true",
        minimum_age=int(values["minimum_age"]),
        adult_age=int(values["adult_age"]),
        intern_night_start_minute=_minute(values["intern_night_start"]),
        intern_night_end_minute=_minute(values["intern_night_end"]),
        contract_within_months=int(values["contract_within_months"]),
        dispatch_share_max=Decimal(values["dispatch_share_max"]),
        identical_times_min_days=int(values["identical_times_min_days"]),
        identical_times_worker_share=Decimal(values["identical_times_worker_share"]),
        identical_times_min_workers=int(values["identical_times_min_workers"]),
        identical_times_day_share=Decimal(values["identical_times_day_share"]),
        paid_hours_tolerance=Decimal(values["paid_hours_tolerance"]),
        hazardous_posts=tuple(
            HazardousPost(
                keywords=tuple(keyword.casefold() for keyword in entry["keywords"]),
                source=entry["source"],
            )
            for entry in data["hazardous_posts"]
        ),
    )
