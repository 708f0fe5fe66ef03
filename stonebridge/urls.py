from django.contrib import admin
from django.urls import include, path, register_converter
from django.views.generic import RedirectView

from .accounts.views import home
from .api import api
from .inputs import IdConverter

# Before the apps' URLs are read: every id in a page URL is `<id:…>`, at most 64 bits.
register_converter(IdConverter, "id")

# The admin logs in through the same rate-limited, two-factor login as everyone else.
admin.site.login = RedirectView.as_view(pattern_name="accounts:login", query_string=True)  # type: ignore[method-assign]

urlpatterns = [
    path("", home, name="home"),
    path("", include("stonebridge.accounts.urls")),
    path("", include("stonebridge.supplychain.urls")),
    path("", include("stonebridge.risk.urls")),
    path("", include("stonebridge.engagement.urls")),
    path("", include("stonebridge.notifications.urls")),
    path("admin/", admin.site.urls),
    path("api/", RedirectView.as_view(pattern_name="api:openapi-view"), name="api_root"),
    path("api/", api.urls),
]

handler400 = "stonebridge.errors.bad_request"
handler403 = "stonebridge.errors.permission_denied"
handler404 = "stonebridge.errors.page_not_found"
handler500 = "stonebridge.errors.server_error"
