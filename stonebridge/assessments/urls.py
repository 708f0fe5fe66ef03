from django.urls import path

from stonebridge.downloads.listing import download_view

from . import exports, records_views, views
from . import questionnaire_editor_views as editor
from . import questionnaire_views as questionnaires
from . import questionnaire_workspace as workspace
from . import visit_views as visits

app_name = "assessments"

Q = "o/<slug:org>/questionnaires/"
W = "o/<slug:org>/workspace/questionnaires/"
R = "o/<slug:org>/records/"
V = "o/<slug:org>/visits/"
P = "o/<slug:org>/assignments/"
F = "o/<slug:org>/workspace/findings/"

urlpatterns = [
    path("o/<slug:org>/assessments/", views.home, name="home"),
    # A buyer's or the covenant's questionnaires, and the answers it received.
    path(Q, questionnaires.questionnaire_list, name="questionnaires"),
    path(
        f"{Q}export.<str:fmt>",
        download_view(exports.QUESTIONNAIRES),
        name="questionnaire_list_export",
    ),
    path(f"{Q}import/", questionnaires.questionnaire_import, name="questionnaire_import"),
    path(f"{Q}<id:questionnaire_id>/", questionnaires.questionnaire, name="questionnaire"),
    path(f"{Q}new/", editor.questionnaire_new, name="questionnaire_new"),
    path(f"{Q}<id:questionnaire_id>/edit/", editor.questionnaire_edit, name="questionnaire_edit"),
    path(
        f"{Q}<id:questionnaire_id>/edit/remove/",
        editor.questionnaire_remove,
        name="questionnaire_remove",
    ),
    path(
        f"{Q}<id:questionnaire_id>/xlsform/",
        questionnaires.questionnaire_export,
        name="questionnaire_export",
    ),
    path(
        f"{Q}<id:questionnaire_id>/publish/",
        questionnaires.questionnaire_publish,
        name="questionnaire_publish",
    ),
    path(
        f"{Q}<id:questionnaire_id>/new-version/",
        questionnaires.questionnaire_new_version,
        name="questionnaire_new_version",
    ),
    path(
        f"{Q}<id:questionnaire_id>/send/",
        questionnaires.questionnaire_send,
        name="questionnaire_send",
    ),
    path(f"{Q}answers/", questionnaires.submission_list, name="submissions"),
    path(
        f"{Q}answers/export.<str:fmt>",
        download_view(exports.SUBMISSIONS),
        name="submission_export",
    ),
    path(f"{Q}answers/<id:submission_id>/", questionnaires.submission, name="submission"),
    path(
        f"{Q}answers/<id:submission_id>/accept/",
        questionnaires.submission_accept,
        name="submission_accept",
    ),
    path(f"{Q}answer/<id:answer_id>/follow-up/", questionnaires.follow_up, name="follow_up"),
    path(f"{Q}files/<id:file_id>/", questionnaires.file, name="file"),
    # The supplier's side, in its workspace.
    path(W, workspace.submission_list, name="workspace_questionnaires"),
    path(
        f"{W}export.<str:fmt>",
        download_view(exports.SUPPLIER_QUESTIONNAIRES),
        name="workspace_questionnaire_export",
    ),
    path(f"{W}<id:submission_id>/", workspace.submission_fill, name="workspace_submission"),
    path(f"{W}<id:submission_id>/share/", workspace.share, name="workspace_share"),
    path(f"{W}<id:submission_id>/unshare/", workspace.unshare, name="workspace_unshare"),
    path(f"{W}follow-ups/<id:follow_up_id>/reply/", workspace.reply, name="workspace_reply"),
    path(f"{W}files/<id:file_id>/", workspace.file, name="workspace_file"),
    path(R, records_views.check_list, name="records_checks"),
    path(
        f"{R}export.<str:fmt>", download_view(exports.RECORDS_CHECKS), name="records_check_export"
    ),
    path(f"{R}<id:check_id>/", records_views.check_detail, name="records_check"),
    path(f"{R}<id:check_id>/again/", records_views.check_again, name="records_check_again"),
    path(f"{R}approvals/", records_views.approval_list, name="records_approvals"),
    path(
        f"{R}approvals/export.<str:fmt>",
        download_view(exports.HOURS_APPROVALS),
        name="records_approval_export",
    ),
    path(
        f"{R}approvals/<id:approval_id>/document/",
        records_views.approval_document,
        name="records_approval_document",
    ),
    # The buyer plans visits, records its own findings and resolves disputes.
    path(V, visits.visit_list, name="visits"),
    path(f"{V}export.<str:fmt>", download_view(exports.VISITS), name="visit_export"),
    path(f"{V}new/", visits.visit_create, name="visit_create"),
    path(f"{V}<id:visit_id>/", visits.visit, name="visit"),
    path(f"{V}<id:visit_id>/findings/new/", visits.finding_create, name="finding_create"),
    path(f"{V}<id:visit_id>/report/", visits.visit_report, name="visit_report"),
    path(f"{V}findings/<id:finding_id>/", visits.finding, name="finding"),
    path(f"{V}disputes/<id:dispute_id>/resolve/", visits.dispute_resolve, name="dispute_resolve"),
    path(f"{V}files/<id:finding_file_id>/", visits.file, name="finding_file"),
    # The service provider's assignments, while its access lasts.
    path(P, visits.provider_visits, name="provider_visits"),
    path(f"{P}export.<str:fmt>", download_view(exports.ASSIGNMENTS), name="provider_visit_export"),
    path(f"{P}<id:visit_id>/", visits.provider_visit, name="provider_visit"),
    path(
        f"{P}<id:visit_id>/findings/new/",
        visits.provider_finding_create,
        name="provider_finding_create",
    ),
    path(f"{P}<id:visit_id>/report/", visits.provider_visit_report, name="provider_visit_report"),
    path(f"{P}files/<id:finding_file_id>/", visits.provider_file, name="provider_finding_file"),
    # The supplier's side, in its workspace.
    path(F, visits.workspace_findings, name="workspace_findings"),
    path(
        f"{F}export.<str:fmt>",
        download_view(exports.SUPPLIER_FINDINGS),
        name="workspace_finding_export",
    ),
    path(f"{F}<id:finding_id>/", visits.workspace_finding, name="workspace_finding"),
    path(f"{F}<id:finding_id>/dispute/", visits.workspace_dispute, name="workspace_dispute"),
    path(f"{F}files/<id:finding_file_id>/", visits.workspace_file, name="workspace_finding_file"),
]
