from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from stonebridge.audit.admin import AuditedAdmin
from stonebridge.audit.services import record

from .models import ApiToken, Invitation, Membership, Organisation, User


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "language", "is_staff", "is_active"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "name", "language", "time_zone"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "password1", "password2"]})]
    list_filter = ["is_staff", "is_active", "language"]
    filter_horizontal = ["groups"]

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        # Django's view saves the password and redirects to the person's page when it is set.
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            changed = (
                request.method == "POST"
                and response.status_code == 302
                and response["Location"] != request.get_full_path()
            )
            if changed:
                record(
                    actor=request.user,
                    organisation=None,
                    verb="admin.password_set",
                    target=self.get_object(request, unquote(id)),
                )
        return response


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role"]
    search_fields = ["user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    readonly_fields = ["created_at"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "name_zh", "kind", "country", "city", "covenant"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "name_zh", "slug"]
    readonly_fields = ["created_at"]


@admin.register(Invitation)
class InvitationAdmin(AuditedAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    readonly_fields = ["token_hash"]


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ["name", "user", "hint", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_hash", "hint"]
