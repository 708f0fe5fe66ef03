from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [path("o/<slug:org>/audit/", views.entries, name="entries")]
