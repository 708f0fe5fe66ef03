"""Version 2 of the chain: an HMAC keyed outside the database, ids instead of names, a head
logged daily, and the entries written before it still checked."""

import importlib
import logging
import re
from datetime import UTC

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import models
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from stonebridge.accounts import services
from stonebridge.accounts.models import ApiToken, Membership
from stonebridge.audit.models import GENESIS_HASH, ChainHead, Entry
from stonebridge.audit.services import entry_hash, verify

from ..conftest import PASSWORD, UserFactory, client_for


def tamper(entry_id, **values):
    """What someone with write access to the database can do: bypass the append-only manager."""
    models.QuerySet(Entry).filter(pk=entry_id).update(**values)


def plain_hash(entry, prev_hash):
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


def rechain_with_plain_hashes(from_entry):
    """Recompute every hash from `from_entry` on, as a forger without the key would."""
    previous = Entry.objects.filter(id__lt=from_entry.id).order_by("-id").first()
    prev_hash = previous.hash if previous else GENESIS_HASH
    for entry in Entry.objects.filter(id__gte=from_entry.id).order_by("id"):
        new_hash = plain_hash(entry, prev_hash)
        tamper(entry.id, prev_hash=prev_hash, hash=new_hash)
        prev_hash = new_hash
    ChainHead.objects.filter(pk=1).update(last_hash=prev_hash)


def test_a_rewritten_chain_with_recomputed_hashes_is_caught(owner, viewer, editor, buyer):
    services.membership_change_role(
        membership=Membership.objects.get(user=viewer), role="editor", by=owner
    )
    victim = Entry.objects.get(verb="membership.role_changed")
    tamper(victim.id, changes={"role": ["viewer", "owner"]})
    rechain_with_plain_hashes(victim)
    result = verify()
    assert (result.ok, result.broken_entry_id, result.reason) == (
        False,
        victim.id,
        "its content was changed",
    )
    with pytest.raises(CommandError, match=f"broken at entry {victim.id}"):
        call_command("verify_audit_log")


def test_the_chain_holds_only_with_the_key_it_was_written_with(owner, viewer):
    assert verify().ok
    with override_settings(AUDIT_KEY="another-key"):
        assert verify().reason == "its content was changed"


def test_an_entry_about_a_person_holds_their_id_not_their_name_or_address(owner, buyer):
    newcomer = UserFactory(email="lin.xiuying@haichen.example", name="林秀英")
    services.membership_add(organisation=buyer, user=newcomer, role="viewer", by=owner)
    entry = Entry.objects.get(verb="membership.added", changes__person=newcomer.pk)
    stored = str(Entry.objects.filter(pk=entry.pk).values().get())
    assert "lin.xiuying" not in stored
    assert "林秀英" not in stored
    assert entry.changes == {"person": newcomer.pk, "role": "viewer"}
    page = client_for(owner).get(reverse("accounts:audit_log", args=[buyer.slug])).content.decode()
    # Shown by their current name, looked up (each language's words marked as such).
    assert "林秀英 · Noordsteen Natuursteen B.V. · Viewer" in re.sub("<[^>]+>", "", page)
    assert "<strong>person</strong>: 林秀英" in page


def test_a_removed_tail_is_caught_by_the_head_written_to_the_log(owner, viewer, editor, caplog):
    with caplog.at_level(logging.INFO, logger="stonebridge.audit"):
        call_command("log_audit_head")
    logged = caplog.records[-1].getMessage()
    head = ChainHead.objects.get()
    assert logged == f"audit chain head: {head.count}:{head.last_hash}"
    # Someone removes the two newest entries and makes the head row agree.
    *kept, _second_last, _last = Entry.objects.order_by("id")
    models.QuerySet(Entry).filter(id__gt=kept[-1].id).delete()
    ChainHead.objects.filter(pk=1).update(last_hash=kept[-1].hash, count=len(kept))
    assert verify().ok  # the database alone cannot tell
    logged_head = logged.rsplit(" ", 1)[1]
    with pytest.raises(CommandError, match="entries logged earlier were removed"):
        call_command("verify_audit_log", head=[tuple_of(logged_head)])
    call_command("verify_audit_log", "--head", f"{len(kept)}:{kept[-1].hash}")


def tuple_of(logged_head):
    count, digest = logged_head.split(":")
    return int(count), digest


def test_a_logged_head_that_no_longer_matches_is_named(owner, viewer):
    first = Entry.objects.order_by("id").first()
    with pytest.raises(CommandError, match="differs from the head logged earlier"):
        call_command("verify_audit_log", "--head", f"1:{'f' * 64}")
    call_command("verify_audit_log", "--head", f"1:{first.hash}")


def write_version_1_entries(owner, buyer, count):
    """Entries as StoneBridge wrote them before version 2, then the migration's step."""
    prev_hash = GENESIS_HASH
    for number in range(count):
        entry = Entry(
            created_at=timezone.now(),
            actor=owner,
            organisation=buyer,
            verb="membership.added",
            target_type="accounts.membership",
            target_id=str(number),
            target_label=f"{owner.email} · {buyer} · viewer",
            changes={"email": owner.email, "role": "viewer"},
            prev_hash=prev_hash,
            version=1,
        )
        entry.hash = plain_hash(entry, prev_hash)
        entry.save()
        prev_hash = entry.hash
    ChainHead.objects.update_or_create(pk=1, defaults={"last_hash": prev_hash, "count": count})
    migration = importlib.import_module("stonebridge.audit.migrations.0002_chain_version_2")
    migration.record_old_head(apps, None)


@pytest.fixture
def two_versions(db, buyer):
    owner = UserFactory(email="anna@noordsteen.example", name="Anna de Vries")
    write_version_1_entries(owner, buyer, 3)
    services.membership_add(organisation=buyer, user=owner, role="owner", by=None)
    services.membership_change_role(
        membership=Membership.objects.get(user=owner), role="owner", by=owner
    )
    return owner


def test_the_old_chain_is_verified_and_the_new_one_continues_it(two_versions):
    head = ChainHead.objects.get()
    v1 = list(Entry.objects.filter(version=1).order_by("id"))
    first_v2 = Entry.objects.filter(version=2).order_by("id").first()
    assert (head.v1_count, head.v1_last_hash) == (3, v1[-1].hash)
    assert first_v2.prev_hash == v1[-1].hash
    assert verify().ok
    assert verify().checked == 4


def test_a_rewritten_old_entry_is_caught(two_versions):
    victim = Entry.objects.filter(version=1).order_by("id")[1]
    tamper(victim.id, changes={"email": "someone@else.example", "role": "owner"})
    assert verify().broken_entry_id == victim.id


def test_the_old_chain_cannot_be_rewritten_whole_or_cut_short(two_versions):
    first = Entry.objects.filter(version=1).order_by("id").first()
    tamper(first.id, changes={"role": "owner"})
    rechain_old = Entry.objects.filter(version=1).order_by("id")
    prev_hash = GENESIS_HASH
    for entry in rechain_old:
        new_hash = plain_hash(entry, prev_hash)
        tamper(entry.id, prev_hash=prev_hash, hash=new_hash)
        prev_hash = new_hash
    ChainHead.objects.filter(pk=1).update(v1_last_hash=prev_hash)
    first_v2 = Entry.objects.filter(version=2).order_by("id").first()
    # The first new entry's HMAC covers the old head, which cannot be forged to match.
    assert verify().broken_entry_id == first_v2.id


def test_admin_bulk_deletes_write_an_entry_for_each_row(client, owner):
    staff = UserFactory(is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client.post(reverse("accounts:login"), {"email": staff.email, "password": PASSWORD})
    client.post(reverse("accounts:login_verify"), {"code": f"{totp(device.bin_key):06d}"})
    tokens = [services.api_token_create(user=owner, name=name)[0] for name in ("ERP", "BI")]
    response = client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [t.pk for t in tokens],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not ApiToken.objects.exists()
    deleted = Entry.objects.filter(verb="admin.deleted", actor=staff)
    assert sorted(deleted.values_list("target_id", flat=True)) == sorted(str(t.pk) for t in tokens)
    assert verify().ok


def test_a_password_set_by_staff_in_the_admin_is_recorded_and_revokes_tokens(client, owner):
    token, _secret = services.api_token_create(user=owner, name="ERP export")
    staff = UserFactory(is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client.post(reverse("accounts:login"), {"email": staff.email, "password": PASSWORD})
    client.post(reverse("accounts:login_verify"), {"code": f"{totp(device.bin_key):06d}"})
    new_password = "another-long-password-9"
    response = client.post(
        reverse("admin:auth_user_password_change", args=[owner.pk]),
        {"password1": new_password, "password2": new_password, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    owner.refresh_from_db()
    assert owner.check_password(new_password)
    entry = Entry.objects.order_by("-id").first()
    assert (entry.verb, entry.actor) == ("admin.password_set", staff)
    assert entry.target_id == str(owner.pk)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_new_name_is_recorded_as_changed_without_the_name(owner):
    services.user_update_preferences(user=owner, name="安娜", language="zh-hans")
    entry = Entry.objects.get(verb="user.preferences_changed")
    assert entry.changes == {"name": "…", "language": ["en", "zh-hans"]}
    assert "安娜" not in str(Entry.objects.filter(pk=entry.pk).values().get())
