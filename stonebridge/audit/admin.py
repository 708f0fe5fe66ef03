from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from .models import Entry
from .services import record


class AuditedAdmin(admin.ModelAdmin):
    """Staff changes made in the admin land in the audit log like every other change."""

    def _organisation(self, obj: models.Model) -> Any:
        if obj._meta.label_lower == "accounts.organisation":
            return obj
        return getattr(obj, "organisation", None)

    @transaction.atomic
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        record(
            actor=request.user,
            organisation=self._organisation(obj),
            verb="admin.changed" if change else "admin.added",
            target=obj,
            changes={"fields": sorted(form.changed_data)},
        )

    @transaction.atomic
    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        record(
            actor=request.user,
            organisation=self._organisation(obj),
            verb="admin.deleted",
            target=obj,
        )
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        # "Delete selected" in the list: each row is audited like a single deletion.
        for obj in queryset:
            record(
                actor=request.user,
                organisation=self._organisation(obj),
                verb="admin.deleted",
                target=obj,
            )
        super().delete_queryset(request, queryset)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Staff may read these rows but not add, change or delete them: they change only through
    services, which audit each change."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    """Read-only: the log is append-only, even for staff."""

    list_display = ["created_at", "actor", "organisation", "verb", "target_label"]
    list_filter = ["verb"]
    search_fields = ["target_label", "actor__email"]
