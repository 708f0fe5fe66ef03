from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: a record of what was sent to whom."""

    list_display = ["created_at", "user", "organisation", "kind", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["user__email", "message"]
    list_select_related = ["user", "organisation"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
