from django.urls import URLPattern, path

from . import covenant_views, report_views

app_name = "reports"

C = "o/<slug:org>/covenant/"

urlpatterns: list[URLPattern] = [
    # The annual due-diligence report.
    path("o/<slug:org>/reports/annual/", report_views.annual_report, name="annual"),
    path(
        "o/<slug:org>/reports/annual/narrative/<int:step>/",
        report_views.annual_narrative,
        name="annual_narrative",
    ),
    path(
        "o/<slug:org>/reports/annual/files/<id:job_id>/",
        report_views.annual_job,
        name="annual_job",
    ),
    path(
        "o/<slug:org>/reports/annual/files/<id:job_id>/file",
        report_views.annual_file,
        name="annual_file",
    ),
    path("o/<slug:org>/reports/period/", report_views.reporting_period, name="reporting_period"),
    # The covenant secretariat's view of its members.
    path(C, covenant_views.progress, name="covenant_progress"),
    path(f"{C}suppliers/", covenant_views.suppliers, name="covenant_suppliers"),
    path(f"{C}joint-action/", covenant_views.collectives, name="covenant_collectives"),
]
