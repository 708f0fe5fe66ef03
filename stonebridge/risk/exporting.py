"""The risk register as a spreadsheet, for the annual report: the buyer's ranked risks, and the
cited baseline they start from."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from stonebridge.supplychain.tabular import write_csv, write_xlsx_sheets

from .facts import as_float
from .models import Baseline, Score


def _register(scores: QuerySet[Score]) -> tuple[list[str], list[list[object]]]:
    headers = [
        _("Priority"),
        _("Severity"),
        _("Likelihood"),
        _("Irremediable"),
        _("Issue"),
        _("Facility (Chinese)"),
        _("Facility (English or pinyin)"),
        _("Kind"),
        _("Country"),
        _("Province"),
        _("City"),
        _("Tier"),
        _("Reaches you through"),
        _("Share along the path"),
        _("Exposure"),
        _("Your leverage"),
    ]
    rows: list[list[object]] = [
        [
            round(s.priority, 1),
            round(s.severity, 3),
            round(s.likelihood, 3),
            _("yes") if s.irremediable else _("no"),
            s.issue.name,
            s.facility.name_zh,
            s.facility.name_en,
            s.facility.get_kind_display(),
            s.facility.country,
            s.facility.province,
            s.facility.city,
            s.tier,
            str(s.via) if s.via else "",
            round(s.path_share, 3),
            round(s.priority * s.path_share, 1),
            as_float(getattr(s, "leverage", None)),  # annotated by queries.register
        ]
        for s in scores.iterator(chunk_size=2000)
    ]
    return headers, rows


def _baseline() -> tuple[list[str], list[list[object]]]:
    headers = [
        _("Issue"),
        _("Country"),
        _("Province"),
        _("Kind of work"),
        _("Level (StoneBridge default)"),
        _("Fact"),
        _("Source"),
        _("Year"),
        _("Address of the source"),
        _("How far it was checked"),
    ]
    rows: list[list[object]] = [
        [
            b.issue.name,
            b.country or _("every country"),
            b.province,
            b.get_context_display(),
            b.level,
            b.fact,
            b.source,
            b.year,
            b.url,
            b.status,
        ]
        for b in Baseline.objects.select_related("issue")
    ]
    return headers, rows


def register_file(scores: QuerySet[Score], fmt: str) -> tuple[bytes, str, str]:
    """(content, file name, content type) for "csv" or "xlsx"."""
    headers, rows = _register(scores)
    if fmt == "csv":
        return write_csv(headers, rows), "risk-register.csv", "text/csv; charset=utf-8"
    content = write_xlsx_sheets(
        [(_("Risk register"), headers, rows), (_("Baseline sources"), *_baseline())]
    )
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return content, "risk-register.xlsx", kind
