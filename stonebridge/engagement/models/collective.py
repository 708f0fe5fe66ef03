"""Collective leverage: members of a sector covenant who buy from the same supplier act together
(guidance: use leverage with shared suppliers, together where one buyer's is small).

A member is never named to another member, nor to the covenant's secretariat, unless it agreed to
be; who joined shows as a count otherwise. A member's own setting says whether it is counted on
the covenant's list of shared suppliers when fewer than three members buy there.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stonebridge.accounts.models import Organisation
from stonebridge.languages import in_reader_language
from stonebridge.supplychain.models import Facility

USER = settings.AUTH_USER_MODEL


class CovenantSharing(models.Model):
    """A covenant member's choice of what others in the covenant may learn about its suppliers.
    Without a row, it shares nothing beyond the anonymous figures of three or more members."""

    owner_path = "organisation"

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="covenant_sharing"
    )
    count_when_few = models.BooleanField(
        _("count us on shared suppliers even when fewer than three members buy there"),
        default=False,
    )
    named_to_members = models.BooleanField(
        _("name us to other members who buy from the same supplier and agreed too"),
        default=False,
    )
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return str(self.organisation)


class CollectiveQuerySet(models.QuerySet["CollectiveEngagement"]):
    def open(self) -> "CollectiveQuerySet":
        return self.exclude(status=CollectiveEngagement.Status.CLOSED)


class CollectiveEngagement(models.Model):
    """Joint action by covenant members with a supplier they share: proposed by one member,
    joined by others, with one joint plan every participant reads."""

    # The proposing member's record; the others reach it through `engagement/collective.py`,
    # which checks that they belong to the covenant and buy from the facility.
    owner_path = "proposed_by"

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Under way")
        CLOSED = "closed", _("Closed")

    covenant = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="collective_engagements"
    )
    facility = models.ForeignKey(
        Facility, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_by = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="collective_proposals"
    )
    title = models.CharField(_("title in English"), max_length=200, blank=True)
    title_zh = models.CharField(_("title in Chinese"), max_length=200, blank=True)
    description = models.TextField(_("what we propose to do together"), blank=True)
    description_zh = models.TextField(_("what we propose to do together, in Chinese"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    # Written by the proposing member for every participant, in English, Chinese or both.
    closing_note = models.TextField(_("closing note"), blank=True)
    closing_note_zh = models.TextField(_("closing note in Chinese"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CollectiveQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return in_reader_language(self.title, self.title_zh)

    @property
    def closed(self) -> bool:
        return self.status == self.Status.CLOSED


class CollectiveParticipant(models.Model):
    """A member taking part in a collective engagement (the proposer too). Leaving keeps the row,
    with the day it left."""

    owner_path = "organisation"

    collective = models.ForeignKey(
        CollectiveEngagement, on_delete=models.CASCADE, related_name="participants"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="collective_participations"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)
    named_to_others = models.BooleanField(_("other participants may see our name"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["collective", "organisation"], name="one_participation_per_member"
            )
        ]
        ordering = ["joined_at", "pk"]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.collective}"

    @property
    def active(self) -> bool:
        return self.left_at is None


class JointAction(models.Model):
    """One step of the joint plan, which every participant reads. Who added it is kept for the
    audit log, not shown."""

    owner_path = "collective__proposed_by"

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    collective = models.ForeignKey(
        CollectiveEngagement, on_delete=models.CASCADE, related_name="actions"
    )
    title = models.CharField(_("what is to be done"), max_length=200, blank=True)
    title_zh = models.CharField(_("what is to be done, in Chinese"), max_length=200, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    added_by = models.ForeignKey(
        Organisation, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return in_reader_language(self.title, self.title_zh)
