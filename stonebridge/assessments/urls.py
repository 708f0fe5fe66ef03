from django.urls import path

from . import questionnaire_views as questionnaires
from . import questionnaire_workspace as workspace

app_name = "assessments"

Q = "o/<slug:org>/questionnaires/"
W = "o/<slug:org>/workspace/questionnaires/"

urlpatterns = [
    # A buyer's or the covenant's questionnaires, and the answers it received.
    path(Q, questionnaires.questionnaire_list, name="questionnaires"),
    path(f"{Q}import/", questionnaires.questionnaire_import, name="questionnaire_import"),
    path(f"{Q}<id:questionnaire_id>/", questionnaires.questionnaire, name="questionnaire"),
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
    path(f"{W}<id:submission_id>/", workspace.submission_fill, name="workspace_submission"),
    path(f"{W}<id:submission_id>/share/", workspace.share, name="workspace_share"),
    path(f"{W}<id:submission_id>/unshare/", workspace.unshare, name="workspace_unshare"),
    path(f"{W}follow-ups/<id:follow_up_id>/reply/", workspace.reply, name="workspace_reply"),
    path(f"{W}files/<id:file_id>/", workspace.file, name="workspace_file"),
]
