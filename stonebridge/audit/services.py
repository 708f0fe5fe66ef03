"""Writing and verifying the audit log."""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import models, transaction

from .models import GENESIS_HASH, ChainHead, Entry


def _canonical(value: Any) -> Any:
    """The JSON form the entry is stored and hashed in (dates, decimals as text)."""
    return json.loads(json.dumps(value, default=str))


def entry_hash(
    *,
    prev_hash: str,
    created_at: str,
    actor_id: int | None,
    organisation_id: int | None,
    verb: str,
    target_type: str,
    target_id: str,
    target_label: str,
    changes: Any,
) -> str:
    payload = json.dumps(
        [
            prev_hash,
            created_at,
            actor_id,
            organisation_id,
            verb,
            target_type,
            target_id,
            target_label,
            changes,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _hash_of(entry: Entry, prev_hash: str) -> str:
    return entry_hash(
        prev_hash=prev_hash,
        created_at=entry.created_at.astimezone(UTC).isoformat(),
        actor_id=entry.actor_id,
        organisation_id=entry.organisation_id,
        verb=entry.verb,
        target_type=entry.target_type,
        target_id=entry.target_id,
        target_label=entry.target_label,
        changes=entry.changes,
    )


def record(
    *,
    actor: Any,
    organisation: Any,
    verb: str,
    target: models.Model,
    changes: dict[str, Any] | None = None,
) -> Entry:
    """Append one entry. Call inside the service's transaction so both land or neither."""
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
        entry = Entry(
            actor=actor if actor is not None and actor.is_authenticated else None,
            organisation=organisation,
            verb=verb,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            target_label=str(target)[:200],
            changes=_canonical(changes or {}),
            prev_hash=head.last_hash,
        )
        entry.hash = _hash_of(entry, head.last_hash)
        entry.save()
        ChainHead.objects.filter(pk=1).update(last_hash=entry.hash, count=head.count + 1)
        return entry


@dataclass(frozen=True)
class Verification:
    checked: int
    broken_entry_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return not self.reason


def verify() -> Verification:
    """Walk the chain from the first entry and report the first broken link."""
    prev_hash = GENESIS_HASH
    checked = 0
    for entry in Entry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != prev_hash:
            return Verification(checked, entry.id, "an entry before it was removed or changed")
        if _hash_of(entry, prev_hash) != entry.hash:
            return Verification(checked, entry.id, "its content was changed")
        prev_hash = entry.hash
        checked += 1
    head = ChainHead.objects.filter(pk=1).first()
    expected = head.last_hash if head else GENESIS_HASH
    if prev_hash != expected or (head and head.count != checked):
        return Verification(checked, None, "the newest entries were removed")
    return Verification(checked)
