from typing import Any, cast

from django.contrib import admin
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import Default
from .services import default_change


@admin.register(Default)
class DefaultAdmin(admin.ModelAdmin):
    """Staff change the value in use, never the set of defaults (a migration made it): the
    change goes through the service, which checks it and writes the audit log."""

    list_display = ["__str__", "value", "unit", "stonebridge_default", "floor", "updated_at"]
    fields = [
        "key",
        "meaning",
        "value",
        "unit",
        "stonebridge_default",
        "floor",
        "updated_at",
        "updated_by",
    ]
    readonly_fields = [
        "key",
        "meaning",
        "unit",
        "stonebridge_default",
        "floor",
        "updated_at",
        "updated_by",
    ]

    @admin.display(description=_("meaning"))
    def meaning(self, obj: Default) -> str:
        return obj.meaning

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Default, form: Any, change: bool) -> None:
        staff = cast(AbstractBaseUser, request.user)  # the admin lets only staff in
        default_change(key=obj.key, value=obj.value, by=staff)
