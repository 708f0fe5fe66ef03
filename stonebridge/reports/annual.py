"""The annual due-diligence report, gathered from the data along the six steps of the OECD Due
Diligence Guidance for Responsible Business Conduct (2018), each section mapped to the UN
Guiding Principles Reporting Framework (2015): part A, governance of respect for human rights;
part B, the salient issues; part C, the management of each salient issue.

Two editions (DOMAIN.md, the covenant's reporting): the confidential report to the covenant's
secretariat names suppliers; the public plan of action names no supplier and holds no worker
data. Every section appears as its data exists and says plainly when there is none.

The period arithmetic and the shaping of figures are pure; `gather` reads the database once per
section. Cross-references to laws are left out on purpose: DOMAIN.md verifies no article of the
amended CSDDD.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from stonebridge.accounts.models import Organisation

from .models import Edition, ReportingPeriod

STEPS = (1, 2, 3, 4, 5, 6)

# OECD step → (the step's name, the UNGP Reporting Framework parts its section answers).
STEP_TITLES = {
    1: gettext_lazy("Embedding responsible business conduct in policies and management systems"),
    2: gettext_lazy("Identifying and assessing adverse impacts, and how they were prioritised"),
    3: gettext_lazy("Ceasing, preventing and mitigating adverse impacts: actions taken"),
    4: gettext_lazy("Tracking implementation and results"),
    5: gettext_lazy("Communicating how impacts are addressed"),
    6: gettext_lazy("Providing for or cooperating in remediation"),
}
UNGP_PARTS = {
    1: ("A1", "A2"),
    2: ("B1", "B2", "C3"),
    3: ("C4",),
    4: ("C5",),
    5: ("C2",),
    6: ("C6",),
}
UNGP_NAMES = {
    "A1": gettext_lazy("A1 Policy commitment"),
    "A2": gettext_lazy("A2 Embedding respect for human rights"),
    "B1": gettext_lazy("B1 Statement of salient issues"),
    "B2": gettext_lazy("B2 Determination of salient issues"),
    "C2": gettext_lazy("C2 Stakeholder engagement"),
    "C3": gettext_lazy("C3 Assessing impacts"),
    "C4": gettext_lazy("C4 Integrating findings and taking action"),
    "C5": gettext_lazy("C5 Tracking performance"),
    "C6": gettext_lazy("C6 Remediation"),
}

# --- the reporting period (pure) ------------------------------------------------------------


# A reporting period is at most two years (and a leap day).
MAX_DAYS = 731


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def fits(self) -> bool:
        """Whether a report can be gathered for it: it starts before it ends, spans at most
        MAX_DAYS, and has a day before and after it in the calendar (the report counts up to
        the midnight after its last day, in any time zone)."""
        return (
            date.min < self.start <= self.end < date.max
            and (self.end - self.start).days <= MAX_DAYS
        )

    def __str__(self) -> str:
        # In the reader's language: "1 October 2025 – 30 September 2026", "2025年10月1日 – …".
        return f"{date_format(self.start)} – {date_format(self.end)}"


def period_containing(day: date, starts_month: int = 1, starts_day: int = 1) -> Period:
    """The reporting year that holds `day`, for a year starting on the given month and day
    (1 January: the calendar year; 1 October: a covenant's year ending 30 September)."""
    start = date(day.year, starts_month, starts_day)
    if start > day:
        start = date(day.year - 1, starts_month, starts_day)
    end = date(start.year + 1, starts_month, starts_day) - timedelta(days=1)
    return Period(start, end)


def last_complete_period(today: date, starts_month: int = 1, starts_day: int = 1) -> Period:
    """The last reporting year that has ended before `today`: the one a report is due for."""
    current = period_containing(today, starts_month, starts_day)
    return period_containing(current.start - timedelta(days=1), starts_month, starts_day)


def year_start_for(organisation: Organisation) -> tuple[int, int]:
    """(month, day) the organisation's reporting year starts on: its covenant's setting, or
    the calendar year."""
    covenant_id = (
        organisation.pk
        if organisation.kind == Organisation.Kind.COVENANT
        else organisation.covenant_id
    )
    setting = ReportingPeriod.objects.filter(covenant_id=covenant_id).first()
    if setting is None:
        return 1, 1
    return setting.starts_month, setting.starts_day


def default_period(organisation: Organisation, today: date | None = None) -> Period:
    month, day = year_start_for(organisation)
    return last_complete_period(today or timezone.localdate(), month, day)


# --- the report's shape ---------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One number of a section; `key` names it for the spreadsheet and for tests. Pages show
    it through the `number` filter: 4200, never 4200.0; a sum of money as Decimal, 38.50."""

    key: str
    label: str
    value: int | float | Decimal | str


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[str | int | float]]


@dataclass
class Section:
    step: int
    title: str
    ungp: list[str]
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    chart_title: str = ""
    chart: list[tuple[str, float]] = field(default_factory=list)
    empty: str = ""  # what to say plainly when the step has no data in the period
    narrative: str = ""

    def figure(self, key: str) -> int | float | Decimal | str:
        return next(f.value for f in self.figures if f.key == key)


@dataclass
class Report:
    organisation: str
    period: Period
    edition: str
    sections: list[Section]
    generated_on: date

    @property
    def confidential(self) -> bool:
        return self.edition == Edition.CONFIDENTIAL

    def annex(self) -> list[tuple[int, str, str]]:
        """Each section with its OECD step and the UNGP Reporting Framework parts it answers."""
        return [
            (s.step, s.title, "; ".join(str(UNGP_NAMES[p]) for p in UNGP_PARTS[s.step]))
            for s in self.sections
        ]


def gather_section(organisation: Organisation, period: Period, step: int) -> Section:
    """One step's figures, suppliers named: for the page where the buyer writes about it."""
    from .annual_steps import GATHERERS

    return GATHERERS[step](organisation, period, True)


def gather_narrative(organisation: Organisation, period: Period, step: int) -> str:
    from .models import ReportNarrative

    found = ReportNarrative.objects.filter(
        organisation=organisation, period_start=period.start, period_end=period.end, step=step
    ).first()
    return found.text if found else ""


def gather(
    organisation: Organisation,
    period: Period,
    edition: str,
    *,
    progress: Callable[[int], None] | None = None,
) -> Report:
    """The report's sections in the active language; `progress` hears of each section done."""
    from .models import ReportNarrative

    names = edition == Edition.CONFIDENTIAL
    narratives = dict(
        ReportNarrative.objects.filter(
            organisation=organisation, period_start=period.start, period_end=period.end
        ).values_list("step", "text")
    )
    from .annual_steps import GATHERERS

    sections = []
    for step in STEPS:
        section = GATHERERS[step](organisation, period, names)
        section.narrative = narratives.get(step, "")
        sections.append(section)
        if progress:
            progress(step)
    return Report(str(organisation), period, edition, sections, timezone.localdate())
