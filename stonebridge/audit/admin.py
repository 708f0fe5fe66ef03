from django.contrib import admin

from .models import Entry


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only, even for staff."""

    list_display = ["created_at", "actor", "organisation", "verb", "target_label"]
    list_filter = ["verb"]
    search_fields = ["target_label", "actor__email"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
