from django.urls import path

from . import records_views

app_name = "assessments"

R = "o/<slug:org>/records/"

urlpatterns = [
    path(R, records_views.check_list, name="records_checks"),
    path(f"{R}<id:check_id>/", records_views.check_detail, name="records_check"),
    path(f"{R}<id:check_id>/again/", records_views.check_again, name="records_check_again"),
    path(f"{R}approvals/", records_views.approval_list, name="records_approvals"),
    path(
        f"{R}approvals/<id:approval_id>/document/",
        records_views.approval_document,
        name="records_approval_document",
    ),
]
