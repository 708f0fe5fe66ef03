from django.contrib import admin
from django.urls import include, path, register_converter
from django.views.generic import RedirectView

from .accounts.views import home
from .api import api
from .inputs import IdConverter

# Before the apps' URLs are read: every id in a page URL is `<id:…>`, at most 64 bits.
register_converter(IdConverter, "id")

urlpatterns = [
    path("", home, name="home"),
    path("", include("stonebridge.accounts.urls")),
    path("", include("stonebridge.supplychain.urls")),
    path("", include("stonebridge.risk.urls")),
    path("", include("stonebridge.engagement.urls")),
    path("", include("stonebridge.assessments.urls")),
    path("", include("stonebridge.voice.urls")),
    path("", include("stonebridge.notifications.urls")),
    path("", include("stonebridge.downloads.urls")),
    path("", include("stonebridge.reports.urls")),
    # The admin logs in through the same rate-limited, two-factor login as everyone else: this
    # comes first, so its own login page is never reached.
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/", admin.site.urls),
    path("api/", RedirectView.as_view(pattern_name="api:openapi-view"), name="api_root"),
    path("api/", api.urls),
]

handler400 = "stonebridge.errors.bad_request"
handler403 = "stonebridge.errors.permission_denied"
handler404 = "stonebridge.errors.page_not_found"
handler500 = "stonebridge.errors.server_error"
