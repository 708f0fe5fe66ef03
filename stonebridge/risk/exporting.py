"""The risk register as a spreadsheet, for the annual report: the buyer's ranked risks, and the
cited baseline they start from."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from stonebridge.accounts.models import Organisation
from stonebridge.supplychain.tabular import write_csv, write_xlsx_sheets

from . import queries
from .facts import as_float
from .forms import RegisterFilterForm
from .models import Baseline, RegisterExport, Score

# Up to this many rows a download is written while the person waits; beyond, by the task worker.
DIRECT_ROWS = 5000
PROGRESS_EVERY = 5000
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def filtered(organisation: Organisation, params: QueryDict) -> tuple[Any, RegisterFilterForm, str]:
    """The register with the filters and sort in `params` (the page's address), ordered; the
    form that read them; the sort's name."""
    form = RegisterFilterForm(params or None, organisation=organisation)
    scores = queries.register_shown(organisation)
    sort = "priority"
    if form.is_valid():
        data = form.cleaned_data
        if data["issue"]:
            scores = scores.filter(issue=data["issue"])
        if data["tier"]:
            scores = scores.filter(tier=data["tier"])
        if data["province"]:
            scores = scores.filter(facility__province__icontains=data["province"])
        if data["via"]:
            scores = scores.filter(via_id=data["via"])
        if data["irremediable"]:
            scores = scores.filter(irremediable=True)
        sort = data["sort"] or sort
    return scores.order_by(*queries.SORTS[sort]), form, sort


def _register(
    scores: QuerySet[Score], tick: Callable[[int], None] | None = None
) -> tuple[list[str], list[list[object]]]:
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
    rows: list[list[object]] = []
    for s in scores.iterator(chunk_size=2000):
        if tick is not None and len(rows) % PROGRESS_EVERY == 0:
            tick(len(rows))
        rows.append(_line(s))
    return headers, rows


def _line(s: Score) -> list[object]:
    return [
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


def register_file(
    scores: QuerySet[Score], fmt: str, tick: Callable[[int], None] | None = None
) -> tuple[bytes, str, str]:
    """(content, file name, content type) for "csv" or "xlsx"."""
    headers, rows = _register(scores, tick)
    if fmt == "csv":
        return write_csv(headers, rows), "risk-register.csv", CONTENT_TYPES["csv"]
    content = write_xlsx_sheets(
        [(_("Risk register"), headers, rows), (_("Baseline sources"), *_baseline())]
    )
    return content, "risk-register.xlsx", CONTENT_TYPES["xlsx"]


def write_export(export: RegisterExport) -> None:
    """The task's work: the register as filtered when the download was asked for, its progress
    written as it goes (outside the file's own writing, so the page sees it move)."""
    params = QueryDict(export.query)
    scores, _form, _sort = filtered(export.organisation, params)
    total = scores.count()
    RegisterExport.objects.filter(pk=export.pk).update(
        status=RegisterExport.Status.RUNNING, total_rows=total, processed_rows=0
    )

    def tick(done: int) -> None:
        RegisterExport.objects.filter(pk=export.pk).update(processed_rows=done)

    content, filename, _kind = register_file(scores, export.fmt, tick)
    RegisterExport.objects.filter(pk=export.pk).update(
        status=RegisterExport.Status.DONE,
        processed_rows=total,
        content=content,
        filename=filename,
        finished_at=timezone.now(),
    )
