from django.urls import path

from . import views

app_name = "risk"

urlpatterns = [
    path("o/<slug:org>/risks/", views.register, name="register"),
    path("o/<slug:org>/risks/export.<str:fmt>", views.register_export, name="register_export"),
    path("o/<slug:org>/risks/downloads/<id:export_id>/", views.download, name="download"),
    path(
        "o/<slug:org>/risks/downloads/<id:export_id>/file",
        views.download_file,
        name="download_file",
    ),
    path("o/<slug:org>/risks/<id:facility_id>/<str:issue>/", views.explain, name="explain"),
    path("o/<slug:org>/facilities/<id:facility_id>/risk/", views.facility_risk, name="facility"),
    path(
        "o/<slug:org>/facilities/<id:facility_id>/workforce/",
        views.workforce_state,
        name="workforce",
    ),
    path(
        "o/<slug:org>/evidence/<id:evidence_id>/withdraw/",
        views.evidence_retract,
        name="evidence_retract",
    ),
]
