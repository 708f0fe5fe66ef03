"""What the records check finds: violations of a rule, per worker and month, with the figures and
the legal source; and indications of double books, which are signs to look into, never findings.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stonebridge.assessments.records import rules as r

IDENTICAL_CLOCK_TIMES = "IDENTICAL_CLOCK_TIMES"
PAID_OVERTIME_NOT_IN_ATTENDANCE = "PAID_OVERTIME_NOT_IN_ATTENDANCE"
INDICATION_CODES = (IDENTICAL_CLOCK_TIMES, PAID_OVERTIME_NOT_IN_ATTENDANCE)


def hours(value: str) -> str:
    """'3 h' in English, '3 小时' in Chinese."""
    return _("%(hours)s h") % {"hours": value}


def money(value: str) -> str:
    return _("%(amount)s CNY") % {"amount": value}


def _daily_cap(f: dict[str, str]) -> str:
    return ngettext(
        "Overtime above %(cap)s on %(days)s workday (most: %(most)s).",
        "Overtime above %(cap)s on %(days)s workdays (most: %(most)s).",
        int(f["days"]),
    ) % {"cap": hours(f["cap_hours"]), "days": f["days"], "most": hours(f["most_hours"])}


def _monthly_cap(f: dict[str, str]) -> str:
    return _("%(overtime)s of overtime in the month, above the cap of %(cap)s.") % {
        "overtime": hours(f["overtime_hours"]),
        "cap": hours(f["cap_hours"]),
    }


def _weekly_rest(f: dict[str, str]) -> str:
    return ngettext(
        "No day off in %(weeks)s week (the first from %(first)s).",
        "No day off in %(weeks)s weeks (the first from %(first)s).",
        int(f["weeks"]),
    ) % {"weeks": f["weeks"], "first": f["first_week"]}


def _pay(message: Callable[[], str]) -> Callable[[dict[str, str]], str]:
    def detail(f: dict[str, str]) -> str:
        return message() % {
            "hours": hours(f["hours"]),
            "due": money(f["due"]),
            "paid": money(f["paid"]),
            "rate": f["rate_percent"],
        }

    return detail


def _minimum_wage(f: dict[str, str]) -> str:
    return _("Pay without overtime pay is %(pay)s, below the minimum wage of %(minimum)s.") % {
        "pay": money(f["pay"]),
        "minimum": money(f["minimum"]),
    }


def _intern_overtime(f: dict[str, str]) -> str:
    return ngettext(
        "An intern worked %(hours)s of overtime or on days off, on %(days)s day.",
        "An intern worked %(hours)s of overtime or on days off, on %(days)s days.",
        int(f["days"]),
    ) % {"hours": hours(f["hours"]), "days": f["days"]}


def _intern_night(f: dict[str, str]) -> str:
    return ngettext(
        "An intern worked between %(start)s and %(end)s on %(nights)s day.",
        "An intern worked between %(start)s and %(end)s on %(nights)s days.",
        int(f["nights"]),
    ) % {"start": f["night_start"], "end": f["night_end"], "nights": f["nights"]}


def _child(f: dict[str, str]) -> str:
    return ngettext(
        "A worker aged %(age)s, under the minimum age of %(minimum)s, worked on %(days)s day.",
        "A worker aged %(age)s, under the minimum age of %(minimum)s, worked on %(days)s days.",
        int(f["days"]),
    ) % {"age": f["age"], "minimum": f["minimum_age"], "days": f["days"]}


def _juvenile(f: dict[str, str]) -> str:
    return ngettext(
        "A worker aged %(age)s worked on %(days)s day on a post banned for juvenile workers "
        "(%(post)s).",
        "A worker aged %(age)s worked on %(days)s days on a post banned for juvenile workers "
        "(%(post)s).",
        int(f["days"]),
    ) % {"age": f["age"], "days": f["days"], "post": f["post"]}


def _contract(f: dict[str, str]) -> str:
    if f["signed"]:
        return _(
            "Started on %(hired)s; the written contract was due by %(deadline)s and signed on "
            "%(signed)s."
        ) % {"hired": f["hired"], "deadline": f["deadline"], "signed": f["signed"]}
    return _("Started on %(hired)s; no written contract, due by %(deadline)s.") % {
        "hired": f["hired"],
        "deadline": f["deadline"],
    }


def _dispatch(f: dict[str, str]) -> str:
    return _(
        "%(dispatched)s of %(total)s workers are dispatched (%(share)s %%), above the maximum "
        "of %(maximum)s %%."
    ) % {
        "dispatched": f["dispatched"],
        "total": f["total"],
        "share": f["share_percent"],
        "maximum": f["maximum_percent"],
    }


DETAILS: dict[str, Callable[[dict[str, str]], str]] = {
    r.DAILY_OVERTIME_CAP: _daily_cap,
    r.MONTHLY_OVERTIME_CAP: _monthly_cap,
    r.NO_WEEKLY_REST: _weekly_rest,
    r.OVERTIME_PAY_WORKDAY: _pay(
        lambda: _(
            "%(hours)s of overtime on workdays call for at least %(due)s (%(rate)s %%); "
            "the payroll shows %(paid)s."
        )
    ),
    r.OVERTIME_PAY_RESTDAY: _pay(
        lambda: _(
            "%(hours)s worked on rest days call for at least %(due)s (%(rate)s %%); "
            "the payroll shows %(paid)s."
        )
    ),
    r.OVERTIME_PAY_HOLIDAY: _pay(
        lambda: _(
            "%(hours)s worked on statutory holidays call for at least %(due)s (%(rate)s %%); the "
            "payroll shows %(paid)s."
        )
    ),
    r.MINIMUM_WAGE: _minimum_wage,
    r.INTERN_OVERTIME: _intern_overtime,
    r.INTERN_NIGHT: _intern_night,
    r.CHILD_LABOUR: _child,
    r.JUVENILE_HAZARD: _juvenile,
    r.NO_CONTRACT: _contract,
    r.DISPATCH_SHARE: _dispatch,
}


@dataclass(frozen=True)
class Violation:
    """A rule broken by one worker in one month; `worker_ref` is empty for the facility as a whole
    (DISPATCH_SHARE), `month` None for what is not about a month (NO_CONTRACT, DISPATCH_SHARE)."""

    worker_ref: str
    month: str | None
    rule: str
    figures: dict[str, str]
    source: str
    issue: str  # HOURS_WAGES, YOUTH or CONTRACTS (DOMAIN.md taxonomy)

    @property
    def detail(self) -> str:
        return DETAILS[self.rule](self.figures)


@dataclass(frozen=True)
class Indication:
    """A sign of double books for the facility as a whole: a reason to ask, not a finding."""

    code: str
    figures: dict[str, str]
    issue: str = "HOURS_WAGES"

    @property
    def detail(self) -> str:
        if self.code == IDENTICAL_CLOCK_TIMES:
            return _(
                "Clock times identical to the minute: %(workers)s workers on most of their days, "
                "and %(days)s days on which most workers clocked in and out at the same minute. "
                "Real clocks rarely do this; ask to see the raw clock data."
            ) % {"workers": self.figures["workers"], "days": self.figures["days"]}
        return _(
            "The payroll pays overtime for %(hours)s more than the attendance records show, in "
            "%(months)s worker-months. The attendance shown may not be the one kept."
        ) % {"hours": hours(self.figures["hours"]), "months": self.figures["worker_months"]}


@dataclass(frozen=True)
class Counts:
    by_rule: dict[str, int]
    by_issue: dict[str, int]


@dataclass(frozen=True)
class Report:
    violations: tuple[Violation, ...]
    indications: tuple[Indication, ...]
    workers: int
    rows: int  # clock records checked
    months: list[str] = field(default_factory=list)

    def counts(self) -> Counts:
        """Violations per rule code and per salient issue code (what becomes risk evidence)."""
        return Counts(
            by_rule=dict(Counter(violation.rule for violation in self.violations)),
            by_issue=dict(Counter(violation.issue for violation in self.violations)),
        )
