"""Writing, verifying and pseudonymising the audit log."""

import hashlib
import hmac
import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction

from . import reading
from .models import CHAIN_VERSION, GENESIS_HASH, ChainHead, Entry

logger = logging.getLogger("stonebridge.audit")

# The verb of the entry that erases a person; it lists the version 1 entries whose text had to
# change, which can then only be checked for their place in the chain.
ERASED_VERB = "person.erased"


def _canonical(value: Any) -> Any:
    """The JSON form the entry is stored and hashed in (dates, decimals as text)."""
    return json.loads(json.dumps(value, default=str))


def _payload(values: list[Any]) -> bytes:
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


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
    """Version 1: plain SHA-256, kept to verify the entries written before version 2."""
    payload = _payload(
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
        ]
    )
    return hashlib.sha256(payload).hexdigest()


def entry_mac(
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
    """Version 2: HMAC-SHA256 keyed from AUDIT_KEY over ids, never over a person's name."""
    payload = _payload(
        [
            CHAIN_VERSION,
            prev_hash,
            created_at,
            actor_id,
            organisation_id,
            verb,
            target_type,
            target_id,
            target_label,
            changes,
        ]
    )
    return hmac.new(settings.AUDIT_KEY.encode(), payload, hashlib.sha256).hexdigest()


def _hash_of(entry: Entry, prev_hash: str) -> str:
    digest = entry_hash if entry.version == 1 else entry_mac
    return digest(
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


def _label(target: models.Model) -> str:
    # A model whose text names a person (an account, a membership, an invitation's address)
    # says so; its label is looked up when shown, so the log holds no name to erase.
    if getattr(target, "audit_label_names_a_person", False):
        return ""
    return str(target)[:200]


def record(
    *,
    actor: Any,
    organisation: Any,
    verb: str,
    target: models.Model,
    changes: dict[str, Any] | None = None,
) -> Entry:
    """Append one entry. Call inside the service's transaction so both land or neither.

    Changes name a person by id (`"person": user.pk`), never by name or e-mail address."""
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
        entry = Entry(
            actor=actor if actor is not None and actor.is_authenticated else None,
            organisation=organisation,
            verb=verb,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            target_label=_label(target),
            changes=_canonical(changes or {}),
            prev_hash=head.last_hash,
            version=CHAIN_VERSION,
        )
        entry.hash = _hash_of(entry, head.last_hash)
        entry.save()
        ChainHead.objects.filter(pk=1).update(last_hash=entry.hash, count=head.count + 1)
        return entry


def describe(entries: Iterable[Entry]) -> list[Entry]:
    """Look up what the page shows but the log does not store: the current text of people and
    objects whose label names a person, the names of people and objects the changes refer to
    by id.
    One query per kind of object, whatever the number of entries."""
    entries = list(entries)
    missing: dict[str, set[str]] = defaultdict(set)
    person_ids: set[int] = set()
    for entry in entries:
        if not entry.target_label:
            missing[entry.target_type].add(entry.target_id)
        person = entry.changes.get("person")
        if isinstance(person, int):
            person_ids.add(person)
    found: dict[tuple[str, str], str] = {}
    for target_type, ids in missing.items():
        try:
            model = apps.get_model(target_type)
        except LookupError:
            continue
        for pk, obj in model._default_manager.in_bulk(list(ids)).items():
            found[(target_type, str(pk))] = str(obj)
    people = {
        pk: str(user) for pk, user in get_user_model()._default_manager.in_bulk(person_ids).items()
    }
    related = reading.related_names(entries)
    for entry in entries:
        entry.looked_up_label = found.get((entry.target_type, entry.target_id), "")
        entry.people = people
        entry.related = related
    return entries


@dataclass(frozen=True)
class Verification:
    checked: int
    broken_entry_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return not self.reason


def _pseudonymised_v1_entries() -> set[int]:
    """Version 1 entries whose text an erasure changed. The list is in the erasure's own
    version 2 entry, so it cannot be extended without the key."""
    listed: set[int] = set()
    for changes in Entry.objects.filter(verb=ERASED_VERB, version=CHAIN_VERSION).values_list(
        "changes", flat=True
    ):
        listed.update(changes.get("v1_entries", []))
    return listed


def verify(logged_heads: Iterable[tuple[int, str]] = ()) -> Verification:
    """Walk the chain from the first entry and report the first broken link.

    `logged_heads` are (count, hash) pairs from the application log (`log_head`): the entry at
    that position must still carry that hash, so a removed tail is caught even when the head
    row was rewritten to match."""
    head = ChainHead.objects.filter(pk=1).first()
    v1_count = head.v1_count if head else 0
    pseudonymised = _pseudonymised_v1_entries()
    expected_at = dict(logged_heads)
    prev_hash = GENESIS_HASH
    checked = 0
    for entry in Entry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != prev_hash:
            return Verification(checked, entry.id, "an entry before it was removed or changed")
        if (entry.version == 1) != (checked < v1_count):
            return Verification(checked, entry.id, "it is not of the chain version of its place")
        # An erasure rewrote the text of a listed version 1 entry: only its place is checked.
        erased = entry.version == 1 and entry.id in pseudonymised
        if not erased and not hmac.compare_digest(_hash_of(entry, prev_hash), entry.hash):
            return Verification(checked, entry.id, "its content was changed")
        prev_hash = entry.hash
        checked += 1
        if checked in expected_at and expected_at.pop(checked) != entry.hash:
            return Verification(checked, entry.id, "it differs from the head logged earlier")
    if expected_at:
        return Verification(checked, None, "entries logged earlier were removed")
    expected = head.last_hash if head else GENESIS_HASH
    if prev_hash != expected or (head and head.count != checked):
        return Verification(checked, None, "the newest entries were removed")
    return Verification(checked)


def log_head() -> ChainHead:
    """Write the chain's head to the application log, which lives outside the database: a
    later `verify_audit_log --head COUNT:HASH` proves no entry up to it was removed since."""
    head, _ = ChainHead.objects.get_or_create(pk=1)
    logger.info("audit chain head: %s:%s", head.count, head.last_hash)
    return head


@transaction.atomic
def pseudonymise(*, texts: Iterable[str], pseudonym: str) -> list[int]:
    """Replace a person's name and e-mail address by a pseudonym in the log's stored text.

    Version 2 entries store ids only, so nothing of them changes. Version 1 entries may hold the
    texts in their label or changes, which were hashed: those are rewritten, and their ids are
    returned for the erasure's own entry to list."""
    texts = sorted({t for t in texts if t}, key=len, reverse=True)
    rewritten: list[int] = []
    head = ChainHead.objects.filter(pk=1).first()
    old = Entry.objects.filter(version=1).order_by("id")
    for entry in old.iterator(chunk_size=2000) if head and head.v1_count else ():
        label = _replace(entry.target_label, texts, pseudonym)
        changes = _replace_in(entry.changes, texts, pseudonym)
        if label != entry.target_label or changes != entry.changes:
            # The log refuses updates through its manager; erasure is the one lawful rewrite.
            models.QuerySet(Entry).filter(pk=entry.pk).update(target_label=label, changes=changes)
            rewritten.append(entry.pk)
    return rewritten


def _replace(text: str, texts: list[str], pseudonym: str) -> str:
    for old in texts:
        text = text.replace(old, pseudonym)
    return text


def _replace_in(value: Any, texts: list[str], pseudonym: str) -> Any:
    if isinstance(value, str):
        return _replace(value, texts, pseudonym)
    if isinstance(value, list):
        return [_replace_in(v, texts, pseudonym) for v in value]
    if isinstance(value, dict):
        return {k: _replace_in(v, texts, pseudonym) for k, v in value.items()}
    return value
