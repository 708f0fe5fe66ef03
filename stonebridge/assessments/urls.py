from django.urls import URLPattern, path

from . import visit_views as visits

app_name = "assessments"

V = "o/<slug:org>/visits/"
P = "o/<slug:org>/assignments/"
W = "o/<slug:org>/workspace/findings/"

urlpatterns: list[URLPattern] = [
    # The buyer plans visits, records its own findings and resolves disputes.
    path(V, visits.visit_list, name="visits"),
    path(f"{V}new/", visits.visit_create, name="visit_create"),
    path(f"{V}<id:visit_id>/", visits.visit, name="visit"),
    path(f"{V}<id:visit_id>/findings/new/", visits.finding_create, name="finding_create"),
    path(f"{V}<id:visit_id>/report/", visits.visit_report, name="visit_report"),
    path(f"{V}findings/<id:finding_id>/", visits.finding, name="finding"),
    path(f"{V}disputes/<id:dispute_id>/resolve/", visits.dispute_resolve, name="dispute_resolve"),
    path(f"{V}files/<id:file_id>/", visits.file, name="file"),
    # The service provider's assignments, while its access lasts.
    path(P, visits.provider_visits, name="provider_visits"),
    path(f"{P}<id:visit_id>/", visits.provider_visit, name="provider_visit"),
    path(
        f"{P}<id:visit_id>/findings/new/",
        visits.provider_finding_create,
        name="provider_finding_create",
    ),
    path(f"{P}<id:visit_id>/report/", visits.provider_visit_report, name="provider_visit_report"),
    path(f"{P}files/<id:file_id>/", visits.provider_file, name="provider_file"),
    # The supplier's side, in its workspace.
    path(W, visits.workspace_findings, name="workspace_findings"),
    path(f"{W}<id:finding_id>/", visits.workspace_finding, name="workspace_finding"),
    path(f"{W}<id:finding_id>/dispute/", visits.workspace_dispute, name="workspace_dispute"),
    path(f"{W}files/<id:file_id>/", visits.workspace_file, name="workspace_file"),
]
