from django.urls import path

from . import views

app_name = "voice"

# Public pages (no login) live under /v/; an organisation's pages under /o/<org>/grievances/ etc.
urlpatterns: list = [
    path("o/<slug:org>/voice/", views.home, name="home"),
]

from . import survey_views  # noqa: E402

urlpatterns += [
    path("v/s/<str:survey_token>/", survey_views.survey_public, name="survey_public"),
    path("v/s/<str:survey_token>/thanks/", survey_views.survey_thanks, name="survey_thanks"),
    path("o/<slug:org>/voice/surveys/", survey_views.survey_list, name="survey_list"),
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
