from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from stonebridge.audit.admin import AuditedAdmin, ReadOnlyAdmin
from stonebridge.audit.services import record

from . import tasks
from .models import Baseline, Evidence, Indicator, Issue


class ReferenceAdmin(AuditedAdmin):
    """Taxonomy and baseline are reference data: a change is audited and every buyer's scores
    are recomputed with it."""

    @transaction.atomic
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        tasks.recompute_all.enqueue()

    @transaction.atomic
    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        tasks.recompute_all.enqueue()

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        tasks.recompute_all.enqueue()

    @transaction.atomic
    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        # Indicators edited on their issue's page are audited one by one.
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            record(actor=request.user, organisation=None, verb="admin.added", target=obj)
        for obj, fields in formset.changed_objects:
            record(
                actor=request.user,
                organisation=None,
                verb="admin.changed",
                target=obj,
                changes={"fields": sorted(fields)},
            )
        for obj in formset.deleted_objects:
            record(actor=request.user, organisation=None, verb="admin.deleted", target=obj)
        tasks.recompute_all.enqueue()


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(Issue)
class IssueAdmin(ReferenceAdmin):
    list_display = ["code", "name_en", "name_zh", "scale", "irremediability"]
    inlines = [IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(ReferenceAdmin):
    list_display = ["code", "issue", "name_en", "scale", "irremediability", "ilo_forced_labour"]
    list_filter = ["issue", "ilo_forced_labour"]
    search_fields = ["code", "name_en", "name_zh"]


@admin.register(Baseline)
class BaselineAdmin(ReferenceAdmin):
    list_display = ["issue", "country", "province", "context", "level", "source", "year"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_filter = ["issue", "country", "context", "level"]
    search_fields = ["source", "fact_en", "fact_zh", "province"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    """Read-only: evidence changes only through its services, which audit and recompute."""

    list_display = ["observed_on", "organisation", "facility", "issue", "kind", "confidence"]
    list_filter = ["kind", "issue"]
