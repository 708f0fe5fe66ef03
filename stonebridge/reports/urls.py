from django.urls import URLPattern, path

from . import covenant_views

app_name = "reports"

C = "o/<slug:org>/covenant/"

urlpatterns: list[URLPattern] = [
    # The covenant secretariat's view of its members.
    path(C, covenant_views.progress, name="covenant_progress"),
    path(f"{C}suppliers/", covenant_views.suppliers, name="covenant_suppliers"),
    path(f"{C}joint-action/", covenant_views.collectives, name="covenant_collectives"),
]
