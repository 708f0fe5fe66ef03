from django.urls import path

from . import views

app_name = "downloads"
urlpatterns = [
    path("o/<slug:org>/downloads/<id:download_id>/", views.status, name="status"),
    path("o/<slug:org>/downloads/<id:download_id>/file", views.download_file, name="file"),
]
