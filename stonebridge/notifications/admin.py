from django.contrib import admin

from stonebridge.audit.admin import ReadOnlyAdmin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Read-only: a record of what was sent to whom."""

    list_display = ["created_at", "user", "organisation", "kind", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["user__email", "message"]
    list_select_related = ["user", "organisation"]
