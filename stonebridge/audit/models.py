"""An append-only, hash-chained log of every change.

Each entry carries the hash of the one before it, and `ChainHead` holds the hash of the newest,
so an edited, removed or reordered entry breaks the chain where `verify_audit_log` can see it.

Version 1 entries were chained with plain SHA-256, which anyone who can write to the database can
recompute after rewriting an entry. Version 2 entries are chained with an HMAC keyed from
`AUDIT_KEY`, which lives outside the database, and hash ids, never a person's name or e-mail
address: a label that names a person is not stored but looked up when shown, so erasing a
person's account changes no hashed byte.
"""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import labels

GENESIS_HASH = "0" * 64
CHAIN_VERSION = 2


class AppendOnlyError(Exception):
    pass


class EntryQuerySet(models.QuerySet["Entry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit entries cannot be changed")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("audit entries cannot be deleted")


class Entry(models.Model):
    owner_path = "organisation"

    created_at = models.DateTimeField(_("time"), default=timezone.now)
    # PROTECT: an actor or organisation that appears in the log cannot be deleted, only
    # deactivated, so the log keeps naming who did what.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, on_delete=models.PROTECT, related_name="+"
    )
    verb = models.CharField(_("action"), max_length=60)
    target_type = models.CharField(_("object type"), max_length=60)
    target_id = models.CharField(max_length=40)
    target_label = models.CharField(_("object"), max_length=200)
    changes = models.JSONField(_("changes"), default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    version = models.PositiveSmallIntegerField(default=CHAIN_VERSION)

    objects = EntryQuerySet.as_manager()

    # Filled in by services.describe for a page, never stored: the current text of a target
    # whose label names a person, and the names of the people the changes refer to by id.
    looked_up_label: str = ""
    people: dict[int, str]

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["organisation", "-id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb} {self.target_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit entries cannot be deleted")

    def verb_label(self) -> object:
        return labels.label(self.verb)

    def shown_label(self) -> str:
        """What the entry is about: stored for objects, looked up for people (see `describe`)."""
        return (
            self.target_label
            or self.looked_up_label
            or f"{self.target_type.rsplit('.', 1)[-1]} #{self.target_id}"
        )

    def by_another_organisation(self) -> bool:
        return self.actor_id is None and labels.unnamed(self.verb)

    def change_lines(self) -> list[tuple[str, str]]:
        """Changes as text: [old, new] pairs read "old → new"; a person by their current name."""
        people: dict[int, str] = getattr(self, "people", {})
        return [
            (
                field,
                people.get(value, f"#{value}")
                if field == "person" and isinstance(value, int)
                else f"{value[0]} → {value[1]}"
                if isinstance(value, list) and len(value) == 2
                else str(value),
            )
            for field, value in self.changes.items()
        ]


class ChainHead(models.Model):
    """One row: the hash of the newest entry. Locking it serialises appends.

    `v1_last_hash` and `v1_count` record where the version 1 chain ended when version 2 began;
    the first version 2 entry chains on from that hash under the HMAC, so the old part cannot be
    cut short or rewritten either."""

    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    count = models.PositiveBigIntegerField(default=0)
    v1_last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    v1_count = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.count} entries, newest {self.last_hash[:12]}"
