"""Staff see the facts of worker voice, read-only: which channels exist, who sponsors them, and
for each grievance its topic, route, state and dates. Never a worker's name, contact details,
words, view of the outcome, messages, photos or voice: those are for the organisations the
worker chose, each read of an identity needing a reason. The encrypted columns are not even
loaded, so a page here never decrypts them."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from stonebridge.audit.admin import ReadOnlyAdmin
from stonebridge.encryption import EncryptedBinaryField, EncryptedTextField

from .models import Attachment, Case, Channel, IdentityReveal, Message, Routing, Sponsor


class FactsOnlyAdmin(ReadOnlyAdmin):
    """Shows only the listed `fields`; encrypted fields are deferred from every query."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        encrypted = [
            field.name
            for field in self.model._meta.concrete_fields
            if isinstance(field, EncryptedTextField | EncryptedBinaryField)
        ]
        return super().get_queryset(request).defer(*encrypted)


class SponsorInline(admin.TabularInline):
    model = Sponsor
    fields = ["organisation", "named", "since"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Channel)
class ChannelAdmin(FactsOnlyAdmin):
    list_display = ["facility", "factory", "created_at"]
    fields = ["facility", "token", "factory", "created_at"]
    list_select_related = ["facility", "factory"]
    inlines = [SponsorInline]


class RoutingInline(admin.TabularInline):
    model = Routing
    fields = ["organisation", "kind", "created_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(FactsOnlyAdmin):
    list_display = ["number", "facility", "topic", "route", "urgency", "state", "received_at"]
    list_filter = ["state", "topic", "route", "urgency"]
    search_fields = ["number"]
    list_select_related = ["facility"]
    fields = [
        "number",
        "facility",
        "topic",
        "issue",
        "route",
        "share_with_factory",
        "anonymous",
        "severity",
        "urgency",
        "state",
        "received_at",
        "acknowledge_by",
        "respond_by",
        "acknowledged_at",
        "resolved_at",
        "closed_at",
        "reopened",
        "worker_satisfied",
        "erased_at",
    ]
    inlines = [RoutingInline]


@admin.register(Message)
class MessageAdmin(FactsOnlyAdmin):
    list_display = ["case", "sender", "organisation", "question", "internal", "created_at"]
    fields = ["case", "sender", "organisation", "question", "internal", "created_at"]
    list_select_related = ["case", "organisation"]


@admin.register(Attachment)
class AttachmentAdmin(FactsOnlyAdmin):
    list_display = ["case", "kind", "content_type", "size", "created_at"]
    fields = ["case", "kind", "content_type", "size", "created_at"]
    list_select_related = ["case"]


@admin.register(IdentityReveal)
class IdentityRevealAdmin(FactsOnlyAdmin):
    """Who read a worker's identity and when; the reason stays with the organisation's log."""

    list_display = ["case", "organisation", "user", "at"]
    fields = ["case", "organisation", "user", "at"]
    list_select_related = ["case", "organisation", "user"]
