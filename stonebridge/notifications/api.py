from datetime import datetime

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from stonebridge.accounts.access import get_own_or_404
from stonebridge.accounts.api import ERRORS, ApiRequest
from stonebridge.inputs import Id, Input
from stonebridge.pages import Pages

from . import services
from .models import Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: Notification.Kind
    kind_label: str = Field(..., alias="get_kind_display")
    message: str = Field(..., description="In the reader's language, written when it was sent")
    url: str = Field(..., description="Path on this site to open")
    organisation: str | None = Field(None, alias="organisation.slug")
    created_at: datetime
    read_at: datetime | None


class NotificationFilters(Input):
    unread: bool | None = Field(None, description="true: only unread; false: only read")


class MarkedOut(Schema):
    marked: int


@router.get("/notifications", response=list[NotificationOut])
@paginate(Pages)
def notification_list(request: ApiRequest, filters: Query[NotificationFilters]):
    """Your own notices, newest first."""
    notifications = Notification.objects.filter(user=request.auth).select_related("organisation")
    if filters.unread is not None:
        notifications = notifications.filter(read_at__isnull=filters.unread)
    return notifications


@router.post("/notifications/{notification_id}/read", response={200: NotificationOut, **ERRORS})
def notification_read(request: ApiRequest, notification_id: Id):
    notification = get_own_or_404(
        Notification.objects.select_related("organisation"), request.auth, pk=notification_id
    )
    services.mark_read(user=request.auth, notification=notification)
    return notification


@router.post("/notifications/read-all", response=MarkedOut)
def notification_read_all(request: ApiRequest):
    return {"marked": services.mark_read(user=request.auth)}
