from django.urls import path

from . import views

app_name = "voice"

# Public pages (no login) live under /v/; an organisation's pages under /o/<org>/grievances/ etc.
urlpatterns: list = [
    path("o/<slug:org>/voice/", views.home, name="home"),
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
