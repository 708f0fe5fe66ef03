"""Staff look after the shared registry: finding two records of one firm and merging them.

Facilities change only through the services (audited, chains kept current), so the admin shows
them read-only; the one change it offers is the merge, on a page of its own that lists the
conflicts for staff to decide first.
"""

from typing import Any, cast

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stonebridge.accounts.models import User
from stonebridge.audit.admin import ReadOnlyAdmin

from . import merge, merging, queries
from .models import Facility


@admin.register(Facility)
class FacilityAdmin(ReadOnlyAdmin):
    list_display = ["pk", "name_zh", "name_en", "kind", "province", "city", "credit_code"]
    list_filter = ["kind", "country"]
    search_fields = ["name_zh", "name_en", "credit_code", "address", "search_text"]
    actions = ["merge_two"]

    def has_merge_permission(self, request: HttpRequest) -> bool:
        """Merging rewrites the registry: staff who may change facilities, not those who may
        only look at them (the admin itself never offers a change form)."""
        return request.user.has_perm("supplychain.change_facility")

    @admin.action(
        description=gettext_lazy("Merge the two selected facilities"), permissions=["merge"]
    )
    def merge_two(self, request: HttpRequest, queryset: QuerySet[Facility]) -> HttpResponse | None:
        ids = sorted(queryset.values_list("pk", flat=True))
        if len(ids) != 2:
            self.message_user(request, _("Select exactly two facilities."), messages.ERROR)
            return None
        url = reverse("admin:supplychain_facility_merge")
        return redirect(f"{url}?keep={ids[0]}&remove={ids[1]}")

    def get_urls(self) -> list[Any]:
        merge_page = self.admin_site.admin_view(self.merge_view)
        return [path("merge/", merge_page, name="supplychain_facility_merge"), *super().get_urls()]

    def merge_view(self, request: HttpRequest) -> HttpResponse:
        """Both records side by side, the conflicts with a choice each, then the merge."""
        if not (self.has_view_permission(request) and self.has_merge_permission(request)):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else request.GET
        keep = get_object_or_404(Facility, pk=_id(data.get("keep")))
        remove = get_object_or_404(Facility, pk=_id(data.get("remove")))
        conflicts = queries.merge_conflicts(keep=keep, remove=remove)
        error = ""
        if request.method == "POST":
            choices = {c.key: data.get(c.key, "") for c in conflicts}
            try:
                staff = cast(User, request.user)  # the admin lets only staff in
                merge.facility_merge(keep=keep, remove=remove, by=staff, choices=choices)
            except ValidationError as problem:
                error = " ".join(problem.messages)
            else:
                self.message_user(
                    request,
                    _("%(removed)s was merged into %(kept)s.") % {"removed": remove, "kept": keep},
                    messages.SUCCESS,
                )
                return redirect(f"{reverse('admin:supplychain_facility_changelist')}?q={keep.pk}")
        return render(
            request,
            "admin/supplychain/facility/merge.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Merge two records of one facility"),
                "keep": keep,
                "remove": remove,
                "conflicts": conflicts,
                "error": error,
                "KEEP": merging.KEEP,
                "REMOVE": merging.REMOVE,
                "holders": len(queries.chains_holding(remove)),
            },
        )


def _id(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) < 19 else 0
