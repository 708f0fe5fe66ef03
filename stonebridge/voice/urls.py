from django.urls import path

from . import views

app_name = "voice"

# Public pages (no login) live under /v/; an organisation's pages under /o/<org>/grievances/ etc.
urlpatterns: list = [
    path("o/<slug:org>/voice/", views.home, name="home"),
]

from . import case_views  # noqa: E402

urlpatterns += [
    path("o/<slug:org>/voice/cases/", case_views.case_list, name="case_list"),
    path("o/<slug:org>/voice/cases/learning/", case_views.case_learning, name="case_learning"),
    path("o/<slug:org>/voice/cases/<int:case_id>/", case_views.case_detail, name="case_detail"),
    path(
        "o/<slug:org>/voice/cases/<int:case_id>/files/<int:case_file_id>/",
        case_views.case_file,
        name="case_file",
    ),
]
