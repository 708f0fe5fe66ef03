"""What the records check's codes mean to a reader, in the reader's language: the rules, the
salient issue each one informs, the signs of double books and the figures they quote. The
engine (`assessments/records/`) speaks in codes and numbers; pages, the API's labels and the
evidence it becomes speak these words."""

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop, pgettext
from django.utils.translation import gettext_lazy as _

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

ISSUES = ("HOURS_WAGES", "YOUTH", "CONTRACTS")

RULES: dict[str, tuple[str, Promise]] = {
    "DAILY_OVERTIME_CAP": ("HOURS_WAGES", _("Overtime above 3 hours in a day")),
    "MONTHLY_OVERTIME_CAP": ("HOURS_WAGES", _("Overtime above 36 hours in a month")),
    "NO_WEEKLY_REST": ("HOURS_WAGES", _("No rest day in a week")),
    "OVERTIME_PAY_WORKDAY": ("HOURS_WAGES", _("Workday overtime paid below 150 %")),
    "OVERTIME_PAY_RESTDAY": ("HOURS_WAGES", _("Rest-day overtime paid below 200 %")),
    "OVERTIME_PAY_HOLIDAY": ("HOURS_WAGES", _("Statutory holiday work paid below 300 %")),
    "MINIMUM_WAGE": ("HOURS_WAGES", _("Pay without overtime below the minimum wage")),
    "INTERN_OVERTIME": ("YOUTH", _("Student intern worked overtime")),
    "INTERN_NIGHT": ("YOUTH", _("Student intern worked at night")),
    "CHILD_LABOUR": ("YOUTH", _("Worker under 16")),
    "JUVENILE_HAZARD": ("YOUTH", _("Worker aged 16 or 17 in a hazardous post")),
    "NO_CONTRACT": ("CONTRACTS", _("No written contract within a month of starting")),
    "DISPATCH_SHARE": ("CONTRACTS", _("Too many dispatched workers (above 10 %)")),
}

INDICATIONS: dict[str, Promise] = {
    "IDENTICAL_CLOCK_TIMES": _("The same clock times for many workers or days"),
    "PAID_OVERTIME_NOT_IN_ATTENDANCE": _("Overtime paid does not match the hours in attendance"),
}

# The legal sources the engine's rules cite (assessments/data/records_rules.json), so that a
# Chinese reader reads them in Chinese; a source not listed shows as the data gives it.
SOURCES = {
    gettext_noop("Labour Law Art. 41"),
    gettext_noop("Labour Law Art. 38"),
    gettext_noop("Labour Law Art. 44; 人社部发〔2025〕2号 (hourly rate = monthly wage ÷ 174)"),
    gettext_noop(
        "Labour Law Art. 44; "
        "人社厅函〔2020〕135号; "
        "人社部发〔2025〕2号 (hourly rate = monthly wage ÷ 174)"
    ),
    gettext_noop("Provincial minimum wage notice (the monthly figure given for this check)"),
    gettext_noop("Provisions on Vocational School Student Internships (教职成〔2021〕4号) Art. 16"),
    gettext_noop(
        "Provisions on Vocational School Student Internships (教职成〔2021〕4号) Art. 16; "
        "night window: StoneBridge default"
    ),
    gettext_noop("Labour Law Art. 15; Provisions on the Prohibition of Child Labour (2002)"),
    gettext_noop(
        "Labour Law Art. 64; Special Protection of Juvenile Workers (劳部发〔1994〕498号) Art. 3"
    ),
    gettext_noop("Labour Contract Law Arts. 10, 82; Implementing Regulation Arts. 6, 7"),
    gettext_noop(
        "Labour Contract Law Art. 66; Interim Provisions on Labour Dispatch (2014) Art. 4"
    ),
}


def issue_of(rule: str) -> str:
    return RULES[rule][0] if rule in RULES else "HOURS_WAGES"


def rule_label(rule: str) -> str:
    return str(RULES[rule][1]) if rule in RULES else rule


def indication_label(code: str) -> str:
    return str(INDICATIONS[code]) if code in INDICATIONS else code


def _localised(figures: Mapping[str, Any]) -> dict[str, str]:
    """The figures as the reader writes them: dates in the reader's format, numbers without
    trailing zeros."""
    return {str(name): _value(value) for name, value in figures.items()}


def violation_detail(rule: str, month: str, figures: Mapping[str, Any], source: str) -> str:
    """The engine's own sentence for a violation, in the reader's language."""
    from .records.report import DETAILS, Violation

    if rule not in DETAILS:
        return "; ".join(f"{name}: {value}" for name, value in _localised(figures).items())
    violation = Violation("", month or None, rule, _localised(figures), source, issue_of(rule))
    try:
        return violation.detail
    except KeyError:  # figures of an older engine: show them as they are
        return "; ".join(f"{name}: {value}" for name, value in _localised(figures).items())


def indication_detail(code: str, figures: Mapping[str, Any]) -> str:
    from .records.report import Indication

    try:
        return Indication(code, _localised(figures)).detail
    except KeyError:
        return indication_label(code)


def month_start(month: str) -> date | None:
    """A month such as 2026-03 as its first day, for a page to write in the reader's format."""
    try:
        return date.fromisoformat(f"{month}-01")
    except ValueError:
        return None


def worker_code(worker_hash: str) -> str:
    """A short number for a worker on a page, the same for the same worker at the same facility
    in every check: digits of the keyed hash, so it reads the same in every language."""
    return f"{int(worker_hash[:12], 16) % 1_000_000:06d}" if worker_hash else ""


def source_label(source: str) -> str:
    return gettext(source) if source in SOURCES else source


def _value(value: Any) -> str:
    """A figure as the reader writes it: dates in the reader's format, numbers without
    trailing zeros."""
    if isinstance(value, list | tuple):
        return pgettext("list separator", ", ").join(_value(item) for item in value)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    text = str(value)
    if ISO_DATE.match(text):
        return formats.date_format(date.fromisoformat(text), "DATE_FORMAT")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    if number == number.to_integral_value():
        return str(number.quantize(Decimal(1)))
    return f"{number.quantize(Decimal('0.01')).normalize():f}"


def register_audit_labels() -> None:
    """How the audit log names what records checks change."""
    from stonebridge.audit.labels import register, register_fields

    register(
        {
            "assessments.records_check_submitted": _("Records uploaded for a check"),
            "assessments.records_check_resubmitted": _("Records uploaded again for a check"),
            "assessments.records_check_done": _("Records checked"),
            "assessments.records_check_failed": _("Records check failed: nothing was checked"),
            "assessments.hours_approval_recorded": _(
                "Approval of the comprehensive working-hours system recorded"
            ),
        }
    )
    register_fields(
        {
            "violations": _("violations"),
            "indications": _("signs of double books"),
            "workers": _("workers"),
            "errors": _("errors"),
            "by_supplier": _("checked by the supplier"),
        }
    )
