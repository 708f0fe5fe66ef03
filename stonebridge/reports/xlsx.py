"""The annual report as a workbook: a cover sheet, one sheet per OECD step and the annex.
Figures are written as numbers, so a reader (or a test) can add them up again."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from stonebridge.downloads.files import safe_cell

from .annual import Report

BOLD = Font(bold=True)


def _safe(value: object) -> object:
    # A whole number is written as one (4200, not 4200.0), still a number to add up.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    # Text that a spreadsheet program could run as a formula (supplier names come from the
    # shared registry), inert by the same rule as every download.
    return safe_cell(value)


def workbook(report: Report) -> bytes:
    book = Workbook()
    cover = book.active
    assert cover is not None
    cover.title = _("Report")[:31]
    cover.append([_("Annual due-diligence report")])
    cover["A1"].font = BOLD
    cover.append([_("Organisation"), _safe(report.organisation)])
    cover.append([_("Reporting period"), str(report.period)])
    edition = _("Confidential report") if report.confidential else _("Public plan of action")
    cover.append([_("Edition"), edition])
    cover.append([_("Generated on"), report.generated_on.isoformat()])
    for section in report.sections:
        sheet = book.create_sheet(_("Step %(step)s") % {"step": section.step})
        sheet.append([section.title])
        sheet["A1"].font = BOLD
        sheet.append([_("UNGP Reporting Framework"), ", ".join(section.ungp)])
        sheet.append([_("What we write"), _safe(section.narrative) or "—"])
        if section.empty:
            sheet.append([_("No data"), section.empty])
        sheet.append([])
        sheet.append([_("Figure"), _("Value"), _("Key")])
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
        for figure in section.figures:
            sheet.append([figure.label, _safe(figure.value), figure.key])
        for table in section.tables:
            sheet.append([])
            sheet.append([table.title])
            sheet[f"A{sheet.max_row}"].font = BOLD
            sheet.append(table.headers)
            for row in table.rows:
                sheet.append([_safe(v) for v in row])
        sheet.column_dimensions["A"].width = 60
        sheet.column_dimensions["B"].width = 30
    annex = book.create_sheet(_("Annex"))
    annex.append([_("OECD step"), _("Section"), _("UNGP Reporting Framework")])
    for step, title, parts in report.annex():
        annex.append([step, title, parts])
    out = BytesIO()
    book.save(out)
    return out.getvalue()
