"""Retention: a while after a grievance is closed, what could identify the worker is erased and
the facts of the case stay.

`VOICE_RETENTION_DAYS` (StoneBridge's default 365) after `closed_at`, `manage.py voice_retention`
(run daily) erases, for each closed case not erased yet:

- the worker's name and phone or WeChat ID;
- every photo and any voice message still kept (the files are deleted, not just emptied);
- the description and the worker's view of the outcome: they are the worker's own account in
  their own words, and free text names people, lines and shifts and can be recognised by its
  style. What learning and reporting need is already kept as facts;
- the text of every message on the case, the worker's and the handlers' alike: handlers' replies
  quote the worker, internal notes hold the transcript of a voice message once written down, so
  erasing only the worker's own messages would keep the same words elsewhere. The messages stay
  as rows (who wrote, when, whether a question), so the case's timeline still shows.

Kept, as the case's facts: topic, issue, route, severity, urgency, state, every date and
deadline, the number of reopenings, the outcome the handlers recorded, whether the worker was
satisfied, whether they were anonymous, the consents' dates, the routings with their findings and
plans, and the log of identity reveals with their reasons (the check on handlers, not the
worker's data). The case number stays; its secret hash still opens the case, now without the
worker's words.

Each erasure is logged for every organisation the case went to, naming what was erased and how
many files and messages, never their content. Running it again changes nothing (`erased_at`).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from stonebridge.accounts.models import Organisation
from stonebridge.audit.services import record

from ..models import Attachment, AttachmentKind, Case, CaseState, Message

ERASED_FIELDS = ["contact_name", "contact_phone", "description", "worker_view"]


def retention_cutoff(now: datetime | None = None) -> datetime:
    """Cases closed before this are due for erasure."""
    return (now or timezone.now()) - timedelta(days=settings.VOICE_RETENTION_DAYS)


def cases_due(now: datetime | None = None) -> list[int]:
    """Ids of closed cases past the retention period and not erased yet."""
    return list(
        Case.objects.filter(
            state=CaseState.CLOSED,
            closed_at__lt=retention_cutoff(now),
            erased_at__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def case_erase(*, case_id: int, now: datetime | None = None) -> bool:
    """Erase one case's personal data; False if it was erased already (or reopened meanwhile)."""
    now = now or timezone.now()
    case = (
        Case.objects.select_for_update()
        .only("pk", "number", "state", "erased_at")
        .filter(pk=case_id, state=CaseState.CLOSED, erased_at__isnull=True)
        .first()
    )
    if case is None:
        return False
    files = Attachment.objects.filter(case_id=case_id)
    photos = files.filter(kind=AttachmentKind.PHOTO).count()
    voices = files.filter(kind=AttachmentKind.VOICE).count()
    files.delete()
    messages = Message.objects.filter(case_id=case_id).exclude(body="").update(body="")
    Case.objects.filter(pk=case_id).update(**dict.fromkeys(ERASED_FIELDS, ""), erased_at=now)
    changes = {
        "erased": ERASED_FIELDS,
        "photos_deleted": photos,
        "voice_deleted": voices,
        "messages_emptied": messages,
    }
    recipients = Organisation.objects.filter(pk__in=case.routings.values("organisation"))
    readers: list[Organisation | None] = list(recipients.order_by("pk"))
    for organisation in readers or [None]:
        record(
            actor=None,
            organisation=organisation,
            verb="voice.case_erased",
            target=case,
            changes=changes,
        )
    return True


def retention_apply(*, now: datetime | None = None) -> int:
    """Erase every case due; the number erased. Each case in its own transaction, so one
    failure does not hold back the rest, and a second run finds nothing left to do."""
    return sum(case_erase(case_id=case_id, now=now) for case_id in cases_due(now))
