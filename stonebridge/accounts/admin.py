from typing import cast

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from stonebridge.audit.admin import AuditedAdmin

from . import services
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
    actions = ["erase_accounts"]

    # Erasing is for staff who may delete accounts: an action without permissions would be
    # offered to anyone who may merely look at the list.
    @admin.action(
        description=_("Erase the selected accounts (name and e-mail become a pseudonym)"),
        permissions=["delete"],
    )
    def erase_accounts(self, request: HttpRequest, queryset: models.QuerySet[User]) -> None:
        staff = cast(User, request.user)  # the admin lets only staff in
        erased = 0
        for user in queryset:
            try:
                services.user_erase(user=user, by=staff)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                erased += 1
        if erased:
            self.message_user(
                request,
                ngettext("%(count)d account erased.", "%(count)d accounts erased.", erased)
                % {"count": erased},
            )

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
                # Django's view answered 404 had there been no such person.
                user = cast(User, self.get_object(request, unquote(id)))
                staff = cast(User, request.user)  # the admin lets only staff in
                services.user_password_changed(user=user, how="staff", by=staff)
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
