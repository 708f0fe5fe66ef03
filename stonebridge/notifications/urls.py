from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/export.<str:fmt>", views.notification_export, name="export"),
    path("notifications/<id:notification_id>/open/", views.notification_open, name="open"),
    path("notifications/<id:notification_id>/read/", views.notification_read, name="read"),
    path("notifications/read-all/", views.notification_read_all, name="read_all"),
]
