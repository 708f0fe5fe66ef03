"""The annual report as PDF: WeasyPrint over the report's template, charts as inline SVG, the
font named in the stylesheet (Noto Sans CJK SC, for Chinese and English alike)."""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from . import svg
from .annual import Report


def html(report: Report) -> str:
    charts = {s.step: svg.bar_chart(s.chart) for s in report.sections}
    return render_to_string("reports/annual/report_pdf.html", {"report": report, "charts": charts})


def document(report: Report) -> bytes:
    # Imported here: loading it takes a moment and only the report needs it.
    from weasyprint import CSS, HTML

    stylesheet = finders.find("reports/annual.css")
    assert isinstance(stylesheet, str)
    return bytes(HTML(string=html(report)).write_pdf(stylesheets=[CSS(filename=stylesheet)]))
