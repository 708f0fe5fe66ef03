from django.urls import path

from . import views

app_name = "voice"

# Public pages (no login) live under /v/; an organisation's pages under /o/<org>/grievances/ etc.
urlpatterns: list = [
    path("o/<slug:org>/voice/", views.home, name="home"),
]
