"""E-mail for notices goes out from the task worker, in the reader's language."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task


@task()
def send_notification_email(*, notification_id: int) -> None:
    from .models import Notification

    notification = (
        Notification.objects.select_related("user", "organisation")
        .filter(pk=notification_id, emailed_at__isnull=True, user__is_active=True)
        .first()
    )
    # Gone with its person, already sent by an earlier try, or the account was closed.
    if notification is None:
        return
    user = notification.user
    with translation.override(user.language):
        context = {
            "notification": notification,
            "user": user,
            "link": settings.SITE_URL + notification.url,
            "list_link": settings.SITE_URL + reverse("notifications:list"),
        }
        subject = render_to_string("notifications/email/notification_subject.txt", context)
        body = render_to_string("notifications/email/notification.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
