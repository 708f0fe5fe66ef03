from django.urls import path

from stonebridge.downloads.listing import download_view

from . import exports, views

app_name = "voice"

# Public pages (no login) live under /v/; an organisation's pages under /o/<org>/grievances/ etc.
urlpatterns: list = [
    path("o/<slug:org>/voice/", views.home, name="home"),
]

from . import case_views  # noqa: E402

urlpatterns += [
    path("o/<slug:org>/voice/cases/", case_views.case_list, name="case_list"),
    path(
        "o/<slug:org>/voice/cases/export.<str:fmt>",
        download_view(exports.CASES),
        name="case_export",
    ),
    path("o/<slug:org>/voice/cases/learning/", case_views.case_learning, name="case_learning"),
    path("o/<slug:org>/voice/cases/<int:case_id>/", case_views.case_detail, name="case_detail"),
    path(
        "o/<slug:org>/voice/cases/<int:case_id>/files/<int:case_file_id>/",
        case_views.case_file,
        name="case_file",
    ),
]

# The factory's own grievance procedure (a supplier's organisation), its health for buyers, and
# remedies.
from . import procedure_views, remedy_views  # noqa: E402

urlpatterns += [
    path("o/<slug:org>/voice/procedure/", procedure_views.procedure, name="factory_procedure"),
    path(
        "o/<slug:org>/voice/procedure/committee/",
        procedure_views.committee,
        name="factory_committee",
    ),
    path(
        "o/<slug:org>/voice/procedure/committee/<id:member_id>/leave/",
        procedure_views.committee_remove,
        name="factory_committee_remove",
    ),
    path(
        "o/<slug:org>/voice/procedure/meetings/",
        procedure_views.meetings,
        name="factory_meetings",
    ),
    path(
        "o/<slug:org>/voice/procedure/meetings/export.<str:fmt>",
        download_view(exports.MEETINGS),
        name="factory_meetings_export",
    ),
    path(
        "o/<slug:org>/voice/procedure/meetings/new/",
        procedure_views.meeting_add,
        name="factory_meeting_add",
    ),
    path("o/<slug:org>/voice/health/", procedure_views.health_list, name="health_list"),
    path(
        "o/<slug:org>/voice/health/<id:relationship_id>/",
        procedure_views.health,
        name="health",
    ),
    path("o/<slug:org>/voice/remedies/", remedy_views.remedy_list, name="remedies"),
    path(
        "o/<slug:org>/voice/remedies/export.<str:fmt>",
        download_view(exports.REMEDIES),
        name="remedy_export",
    ),
    path("o/<slug:org>/voice/remedies/new/", remedy_views.remedy_new, name="remedy_new"),
    path("o/<slug:org>/voice/remedies/<id:remedy_id>/", remedy_views.remedy, name="remedy"),
    path(
        "o/<slug:org>/voice/remedies/<id:remedy_id>/milestones/",
        remedy_views.milestone_add,
        name="remedy_milestone_add",
    ),
    path(
        "o/<slug:org>/voice/remedies/<id:remedy_id>/milestones/done/",
        remedy_views.milestone_done,
        name="remedy_milestone_done",
    ),
    path(
        "o/<slug:org>/voice/remedies/<id:remedy_id>/verify/",
        remedy_views.remedy_verify,
        name="remedy_verify",
    ),
]

# The public intake (no login): a facility's grievance form by its short link, and a case
# found again with its receipt code.
from . import channel_views, public_views  # noqa: E402

urlpatterns += [
    path("v/case/", public_views.case, name="case_public"),
    path("v/<str:channel_token>/", public_views.intake, name="intake"),
    path("o/<slug:org>/voice/channels/", channel_views.channels, name="channels"),
    path(
        "o/<slug:org>/voice/channels/<id:channel_id>/named/",
        channel_views.channel_named,
        name="channel_named",
    ),
    path(
        "o/<slug:org>/voice/channels/<id:channel_id>/factory/",
        channel_views.channel_factory,
        name="channel_factory",
    ),
    path(
        "o/<slug:org>/voice/channels/<id:channel_id>/poster.pdf",
        channel_views.channel_poster,
        name="channel_poster",
    ),
]

from . import survey_views  # noqa: E402

urlpatterns += [
    path("v/s/<str:survey_token>/", survey_views.survey_public, name="survey_public"),
    path("v/s/<str:survey_token>/thanks/", survey_views.survey_thanks, name="survey_thanks"),
    path("o/<slug:org>/voice/surveys/", survey_views.survey_list, name="survey_list"),
    path(
        "o/<slug:org>/voice/surveys/export.<str:fmt>",
        download_view(exports.SURVEYS),
        name="survey_export",
    ),
    path("o/<slug:org>/voice/surveys/results/", survey_views.survey_results, name="survey_results"),
    path(
        "o/<slug:org>/voice/surveys/<int:survey_id>/",
        survey_views.survey_detail,
        name="survey_detail",
    ),
    path(
        "o/<slug:org>/voice/surveys/<int:survey_id>/close/",
        survey_views.survey_close,
        name="survey_close",
    ),
]
