"""A buyer opens a grievance channel at a facility of its chain (or joins the one already
there), chooses whether the worker page names it, and says which supplier's organisation runs
the factory's own grievance committee there; and the links that lead workers to it."""

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from stonebridge.accounts.models import Organisation
from stonebridge.audit.services import record
from stonebridge.engagement.models import Relationship, Status
from stonebridge.supplychain.models import Facility

from ..models import Channel, Sponsor, Survey

# No 0/O/o, 1/l/I: a worker copying the link from a poster cannot mistake one for another.
TOKEN_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"  # noqa: S105
TOKEN_LENGTH = 8


def new_token() -> str:
    while True:
        token = "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))
        if not Channel.objects.filter(token=token).exists():
            return token


def facilities_of(organisation: Organisation) -> QuerySet[Facility]:
    """The facilities of the organisation's chain or that it engages: where it may open a
    channel."""
    return (
        Facility.objects.filter(
            Q(positions__organisation=organisation)
            | Q(pk__in=Relationship.objects.filter(organisation=organisation).values("facility"))
        )
        .distinct()
        .order_by("name_zh", "name_en", "pk")
    )


def factories_for(organisation: Organisation, facility: Facility) -> QuerySet[Organisation]:
    """The suppliers' organisations that work the facility for this buyer and accepted its
    sharing, in a relationship that has not ended: only they may receive the cases workers send
    to the factory's committee."""
    working = Relationship.objects.filter(
        organisation=organisation, facility=facility, supplier_accepted_at__isnull=False
    ).exclude(status=Status.EXITED)
    return Organisation.objects.filter(pk__in=working.values("supplier"))


def intake_link(channel: Channel) -> str:
    return settings.SITE_URL + reverse("voice:intake", kwargs={"channel_token": channel.token})


def survey_links(channel: Channel) -> list[str]:
    """The public links of the worker surveys at the channel's facility that are not closed (one
    may open later: a poster is printed ahead)."""
    surveys = Survey.objects.filter(facility_id=channel.facility_id, closed_at__isnull=True)
    return [
        settings.SITE_URL + reverse("voice:survey_public", kwargs={"survey_token": token})
        for token in surveys.order_by("opens_on", "pk").values_list("token", flat=True)
    ]


@transaction.atomic
def channel_open(*, organisation: Organisation, by: Any, facility: Facility) -> Sponsor:
    """The organisation sponsors the facility's channel, opened now if there is none: one
    channel per facility, so workers see one poster whoever pays for it."""
    if not facilities_of(organisation).filter(pk=facility.pk).exists():
        raise ValidationError({"facility": _("This facility is not in your supply chain.")})
    channel = Channel.objects.select_for_update().filter(facility=facility).first()
    opened = channel is None
    if channel is None:
        channel = Channel.objects.create(facility=facility, token=new_token())
    sponsor, created = Sponsor.objects.get_or_create(channel=channel, organisation=organisation)
    if not created:
        raise ValidationError({"facility": _("You already sponsor this facility's channel.")})
    record(
        actor=by,
        organisation=organisation,
        verb="voice.channel_opened" if opened else "voice.channel_sponsored",
        target=channel,
        changes={"facility": facility.pk},
    )
    return sponsor


@transaction.atomic
def sponsor_set_named(*, sponsor: Sponsor, by: Any, named: bool) -> Sponsor:
    """Whether the worker page and poster name the buyer among those who read cases."""
    sponsor.named = named
    sponsor.save(update_fields=["named"])
    record(
        actor=by,
        organisation=sponsor.organisation,
        verb="voice.sponsor_named" if named else "voice.sponsor_unnamed",
        target=sponsor.channel,
        changes={"named": named},
    )
    return sponsor


@transaction.atomic
def channel_set_factory(*, sponsor: Sponsor, by: Any, factory: Organisation | None) -> Channel:
    """Which supplier's organisation runs the grievance committee the channel offers; none
    takes the committee off the page (cases already sent stay where they went)."""
    channel = sponsor.channel
    allowed = factories_for(sponsor.organisation, channel.facility)
    if factory is not None and not allowed.filter(pk=factory.pk).exists():
        raise ValidationError(
            {"factory": _("Choose a supplier that works this facility and accepted your sharing.")}
        )
    channel.factory = factory
    channel.save(update_fields=["factory"])
    record(
        actor=by,
        organisation=sponsor.organisation,
        verb="voice.channel_factory_set",
        target=channel,
        changes={"factory": factory.pk if factory else None},
    )
    return channel
