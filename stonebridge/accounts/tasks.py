"""Background work for accounts: e-mail goes out from the task worker, not the request."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task


@task()
def send_invitation_email(*, invitation_id: int, token: str, sender: str = "") -> None:
    from .models import Invitation

    invitation = Invitation.objects.select_related("organisation").get(pk=invitation_id)
    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "sender": sender,
            "link": settings.SITE_URL + reverse("accounts:invitation", kwargs={"token": token}),
        }
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])
