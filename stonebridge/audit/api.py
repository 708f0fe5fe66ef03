from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from stonebridge.accounts.access import membership_for, scoped
from stonebridge.inputs import DateTime
from stonebridge.paging import Pages

from .models import Entry
from .services import describe

router = Router(tags=["audit log"])


class DescribedPages(Pages):
    """Pages of entries with people and their names looked up, one query per kind of object."""

    def paginate_queryset(self, queryset: Any, pagination: Any, **params: Any) -> Any:
        page = super().paginate_queryset(queryset, pagination, **params)
        page[self.items_attribute] = describe(page[self.items_attribute])
        return page


class EntryOut(Schema):
    id: int
    created_at: datetime
    actor: str | None = Field(None, alias="actor.email")
    verb: str
    target_type: str
    target_id: str
    target_label: str
    changes: dict[str, Any]
    hash: str
    prev_hash: str

    @staticmethod
    def resolve_target_label(entry: Entry) -> str:
        return entry.shown_label()


class EntryFilters(FilterSchema):
    verb: str | None = None
    actor: Annotated[str | None, FilterLookup("actor__email__iexact")] = None
    since: Annotated[DateTime | None, FilterLookup("created_at__gte")] = None
    until: Annotated[DateTime | None, FilterLookup("created_at__lte")] = None


@router.get("/organisations/{org}/audit", response=list[EntryOut])
@paginate(DescribedPages)
def entry_list(request: HttpRequest, org: str, filters: Query[EntryFilters]):  # type: ignore[no-untyped-def]
    membership = membership_for(request.auth, org)
    return filters.filter(scoped(Entry.objects.select_related("actor"), membership))
