"""Notices to people, each in the reader's own language and time zone.

Notifications are a delivery record of a change that another service already wrote to the audit
log, so these services write no audit entry.
"""

import zoneinfo
from collections.abc import Iterable, Mapping
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.functional import Promise

from stonebridge.accounts.models import Organisation, User
from stonebridge.display import isolate, readable

from .models import Notification
from .tasks import send_notification_email


def time_zone_for(user: User) -> zoneinfo.ZoneInfo:
    """The user's time zone; the site's when the stored name is not a known zone."""
    try:
        return zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def today_for(user: User, now: datetime | None = None) -> date:
    """Today where the user is: an action due on the 10th is overdue in Shanghai eight hours
    before it is in Amsterdam, and reminders compare due dates with this."""
    return timezone.localtime(now or timezone.now(), time_zone_for(user)).date()


def _render(value: object, user: User) -> object:
    """A parameter as text in the language that is active: dates and numbers as it writes them,
    a person's own words (a title, a request) set apart so that pages can mark their language."""
    if isinstance(value, datetime):
        local = timezone.localtime(value, time_zone_for(user))
        return formats.date_format(local, "DATETIME_FORMAT")
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, str):
        return isolate(value)
    return readable(value)


@transaction.atomic
def notify(
    *,
    users: Iterable[User],
    organisation: Organisation | None,
    kind: str,
    message: str | Promise,
    params: Mapping[str, object] | None = None,
    url: str,
    key: str = "",
) -> list[Notification]:
    """Tell each active user, in their language; e-mail follows once the change is committed.

    `message` is a gettext_lazy string with %(name)s placeholders filled from `params`. A user
    who already has a notice with the same non-empty `key` is skipped.
    """
    if kind not in Notification.Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    # The open view redirects here: only a path on this site, never another host.
    if not url.startswith("/") or url.startswith("//"):
        raise ValueError(f"a notification links to a path on this site, not {url!r}")
    recipients: dict[int, User] = {}
    for user in users:
        if user.is_active:
            recipients.setdefault(user.pk, user)
    if key:
        already = Notification.objects.filter(user_id__in=recipients, key=key)
        for user_id in already.values_list("user_id", flat=True):
            del recipients[user_id]
    created = []
    for user in recipients.values():
        with translation.override(user.language):
            values = {name: _render(value, user) for name, value in (params or {}).items()}
            text = str(message) % values if params is not None else str(message)
        notification = Notification(
            user=user, organisation=organisation, kind=kind, message=text, url=url, key=key
        )
        try:
            # A reminder run twice at once: the second finds the first's row here.
            with transaction.atomic():
                notification.save()
        except IntegrityError:
            if not key:
                raise
            continue
        created.append(notification)
    ids = [n.pk for n in created]
    transaction.on_commit(lambda: _send_emails(ids))
    return created


def _send_emails(notification_ids: list[int]) -> None:
    for notification_id in notification_ids:
        send_notification_email.enqueue(notification_id=notification_id)


@transaction.atomic
def mark_read(*, user: User, notification: Notification | None = None) -> int:
    """Mark one of the user's notices read, or all their unread ones; returns how many."""
    unread = Notification.objects.filter(user=user).unread()
    if notification is not None:
        if notification.user_id != user.pk:
            raise PermissionDenied
        unread = unread.filter(pk=notification.pk)
    now = timezone.now()
    count = unread.update(read_at=now)
    if notification is not None and count:
        notification.read_at = now
    return count


def notifications_after_erasure(user: User, texts: list[str], pseudonym: str) -> None:
    """A person's account is erased: their own notices go, and notices to others that name them
    ("Anna reported on …") name the pseudonym instead."""
    Notification.objects.filter(user=user).delete()
    if not texts:
        return
    naming = Q()
    for text in texts:
        naming |= Q(message__contains=text)
    for notification in Notification.objects.filter(naming).only("id", "message"):
        message = notification.message
        for text in sorted(texts, key=len, reverse=True):
            message = message.replace(text, pseudonym)
        Notification.objects.filter(pk=notification.pk).update(message=message)
