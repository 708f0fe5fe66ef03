"""A worker submits a grievance, and later opens it again with the receipt code.

Nothing here receives a request: the views pass only what the worker typed and chose, so no
address or browser detail can reach a case.
"""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from stonebridge.accounts.models import Organisation
from stonebridge.audit.services import record
from stonebridge.risk.models import Issue

from .. import receipts
from ..media import check_voice, clean_photo
from ..models import (
    TOPIC_ISSUES,
    Attachment,
    AttachmentKind,
    Case,
    Channel,
    Procedure,
    Route,
    Routing,
    RoutingKind,
    Topic,
    Urgency,
)
from .handling import notify_arrival

# StoneBridge defaults, used until the factory's own procedure sets its deadlines: an answer
# that the case arrived within a week, a response within a month.
ACKNOWLEDGE_DAYS = 7
RESPOND_DAYS = 30
# Topics where the description is likely to hold health facts or a minor's details, which
# PIPL treats as sensitive (Arts. 28–29).
SENSITIVE_TOPICS = {Topic.SAFETY, Topic.YOUNG}


def covenants_of(channel: Channel) -> list[Organisation]:
    """The covenants of the channel's sponsors, each once."""
    covenant_ids = channel.sponsors.filter(organisation__covenant__isnull=False).values(
        "organisation__covenant"
    )
    return list(Organisation.objects.filter(pk__in=covenant_ids).order_by("pk"))


def routes_open(channel: Channel) -> list[str]:
    """The readers a worker may choose at this channel."""
    routes: list[str] = []
    if channel.factory_id is not None:
        routes.append(Route.COMMITTEE)
    if channel.sponsors.exists():
        routes.append(Route.BUYERS)
    if covenants_of(channel):
        routes.append(Route.COVENANT)
    return routes


def recipients(channel: Channel, route: str, share_with_factory: bool) -> list[tuple[str, int]]:
    """(kind, organisation id) of everyone the case goes to."""
    found: list[tuple[str, int]] = []
    if route == Route.BUYERS:
        ids = channel.sponsors.order_by("pk").values_list("organisation_id", flat=True)
        found += [(RoutingKind.BUYER, org_id) for org_id in ids]
    elif route == Route.COVENANT:
        found += [(RoutingKind.COVENANT, org.pk) for org in covenants_of(channel)]
    if channel.factory_id is not None and (route == Route.COMMITTEE or share_with_factory):
        found.append((RoutingKind.FACTORY, channel.factory_id))
    return found


def needs_abroad_consent(route: str) -> bool:
    """Whether sending the case by this route takes it out of China: to the buyers and the
    covenant always, and to anyone when StoneBridge itself is hosted abroad."""
    return route in (Route.BUYERS, Route.COVENANT) or not settings.WORKER_DATA_IN_CHINA


def deadlines(channel: Channel, route: str) -> tuple[int, int]:
    """Days to acknowledge and to respond: the factory's own procedure's, when the case goes to
    its committee and it set them; otherwise StoneBridge's defaults."""
    if route == Route.COMMITTEE and channel.factory_id is not None:
        procedure = Procedure.objects.filter(organisation_id=channel.factory_id).first()
        if procedure is not None:
            return procedure.acknowledge_days, procedure.respond_days
    return ACKNOWLEDGE_DAYS, RESPOND_DAYS


def _clean(
    *,
    channel: Channel,
    topic: str,
    description: str,
    route: str,
    anonymous: bool,
    contact_phone: str,
    consent_sensitive: bool,
    consent_abroad: bool,
    voice: bytes | None,
) -> None:
    errors: dict[str, str] = {}
    if topic not in Topic.values:
        errors["topic"] = _("Choose what it is about.")
    if not description.strip() and not voice:
        errors["description"] = _("Write what happened, or send a voice message.")
    if route not in routes_open(channel):
        errors["route"] = _("Choose who should read it.")
    if not anonymous and not contact_phone.strip():
        errors["contact_phone"] = _(
            "Give a phone number or WeChat ID, or choose to stay anonymous."
        )
    needs_sensitive = voice is not None or topic in SENSITIVE_TOPICS
    if needs_sensitive and not consent_sensitive:
        errors["consent_sensitive"] = _(
            "We need your agreement to keep health details, a child's details or your voice."
        )
    if needs_abroad_consent(route) and not consent_abroad:
        errors["consent_abroad"] = (
            _(
                "The buyers and the covenant are outside China: we need your agreement to send "
                "it to them."
            )
            if route in (Route.BUYERS, Route.COVENANT)
            else _("This service keeps your message outside China: we need your agreement.")
        )
    if errors:
        raise ValidationError(errors)


def _new_number() -> str:
    while True:
        number = receipts.new_number()
        if not Case.objects.filter(number=number).exists():
            return number


@transaction.atomic
def case_submit(
    *,
    channel: Channel,
    topic: str,
    description: str,
    route: str,
    anonymous: bool = True,
    contact_name: str = "",
    contact_phone: str = "",
    share_with_factory: bool = False,
    consent_sensitive: bool = False,
    consent_abroad: bool = False,
    photo: bytes | None = None,
    voice: bytes | None = None,
    voice_type: str = "",
) -> tuple[Case, str]:
    """The new case and the receipt's secret digits (shown once to the worker, never stored)."""
    _clean(
        channel=channel,
        topic=topic,
        description=description,
        route=route,
        anonymous=anonymous,
        contact_phone=contact_phone,
        consent_sensitive=consent_sensitive,
        consent_abroad=consent_abroad,
        voice=voice,
    )
    photo = clean_photo(photo) if photo else None
    voice_type = check_voice(voice, voice_type) if voice else ""
    now = timezone.now()
    today = timezone.localdate()
    acknowledge_days, respond_days = deadlines(channel, route)
    secret = receipts.new_secret()
    issue_code = TOPIC_ISSUES[Topic(topic)]
    case = Case.objects.create(
        channel=channel,
        facility_id=channel.facility_id,
        number=_new_number(),
        secret_hash=receipts.hash_secret(secret),
        topic=topic,
        issue=Issue.objects.filter(pk=issue_code).first() if issue_code else None,
        route=route,
        share_with_factory=share_with_factory and route != Route.COMMITTEE,
        description=description.strip(),
        anonymous=anonymous,
        contact_name="" if anonymous else contact_name.strip(),
        contact_phone="" if anonymous else contact_phone.strip(),
        consent_sensitive_at=now if consent_sensitive else None,
        consent_abroad_at=now if consent_abroad else None,
        urgency=Urgency.CHILD if topic == Topic.YOUNG else Urgency.NORMAL,
        received_at=now,
        acknowledge_by=today + timedelta(days=acknowledge_days),
        respond_by=today + timedelta(days=respond_days),
    )
    files: list[tuple[str, bytes | None, str]] = [
        (AttachmentKind.PHOTO, photo, "image/jpeg"),
        (AttachmentKind.VOICE, voice, voice_type),
    ]
    for kind, data, content_type in files:
        if data:
            Attachment.objects.create(
                case=case, kind=kind, content=data, content_type=content_type, size=len(data)
            )
    for kind, organisation_id in recipients(channel, route, case.share_with_factory):
        Routing.objects.create(case=case, organisation_id=organisation_id, kind=kind)
        # The log says a case arrived and where it goes; never who sent it or what it says.
        record(
            actor=None,
            organisation=Organisation.objects.get(pk=organisation_id),
            verb="voice.case_received",
            target=case,
            changes={"topic": topic, "route": route, "routed_as": kind},
        )
    notify_arrival(case)
    return case, secret


class Locked(Exception):
    """Too many wrong secrets: the case opens again after the lock ends."""


def case_open(*, number: str, secret: str) -> Case | None:
    """The case the receipt opens, or None. Wrong secrets are counted on the case itself (no
    trace of who tried); the fifth locks it for an hour, the lock raising `Locked`. A number no
    case has locks the same way (counted in the cache), so locking tells nobody which numbers
    exist."""
    number, secret = receipts.digits_only(number), receipts.digits_only(secret)
    case = Case.objects.filter(number=number).first()
    if case is None:
        # The same work as a real check, so timing does not tell which numbers exist.
        receipts.secret_matches(_DUMMY_HASH, secret)
        _count_unknown(number)
        return None
    now = timezone.now()
    if case.locked_until is not None and case.locked_until > now:
        raise Locked
    if receipts.secret_matches(case.secret_hash, secret):
        if case.failed_attempts:
            Case.objects.filter(pk=case.pk).update(failed_attempts=0, locked_until=None)
        return case
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(failed_attempts=F("failed_attempts") + 1)
        failed = Case.objects.values_list("failed_attempts", flat=True).get(pk=case.pk)
        locks = failed >= receipts.WRONG_SECRETS_BEFORE_LOCK
        if locks:
            Case.objects.filter(pk=case.pk).update(
                failed_attempts=0, locked_until=now + receipts.LOCK
            )
    if locks:
        raise Locked
    return None


_DUMMY_HASH = receipts.hash_secret("000000000000")


def _count_unknown(number: str) -> None:
    key = f"voice-receipt-unknown:{number}"
    seconds = int(receipts.LOCK.total_seconds())
    cache.add(key, 0, timeout=seconds)
    try:
        failed = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        failed = 1
    if failed >= receipts.WRONG_SECRETS_BEFORE_LOCK:
        raise Locked


def case_check(**values: object) -> None:
    """The rules `case_submit` applies to what a worker sent, without saving anything: a form
    shows every missing answer at once."""
    _clean(**values)  # type: ignore[arg-type]
