import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from stonebridge.accounts import services
from stonebridge.accounts.models import Membership
from stonebridge.audit.models import AppendOnlyError, ChainHead, Entry
from stonebridge.audit.services import verify


def raw(sql, *params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_each_service_call_writes_one_chained_entry(owner, viewer, buyer):
    before = Entry.objects.count()
    membership = Membership.objects.get(user=viewer)
    services.membership_change_role(membership=membership, role="editor", by=owner)
    entry = Entry.objects.order_by("-id").first()
    assert Entry.objects.count() == before + 1
    assert (entry.actor, entry.organisation, entry.verb) == (
        owner,
        buyer,
        "membership.role_changed",
    )
    assert entry.changes == {"role": ["viewer", "editor"]}
    assert entry.prev_hash == Entry.objects.order_by("-id")[1].hash


def test_entries_cannot_be_changed_or_deleted_through_the_code(owner):
    entry = Entry.objects.first()
    entry.verb = "nothing.happened"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        Entry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        Entry.objects.update(verb="x")


def test_an_intact_log_verifies(owner, viewer, capsys):
    call_command("verify_audit_log")
    assert "Audit log intact: 2 entries checked." in capsys.readouterr().out


def test_a_changed_entry_is_named_as_the_first_broken_link(owner, viewer, other_buyer):
    victim = Entry.objects.order_by("id")[1]
    raw("UPDATE audit_entry SET target_label = %s WHERE id = %s", "someone else", victim.id)
    result = verify()
    assert (result.ok, result.broken_entry_id, result.checked) == (False, victim.id, 1)
    with pytest.raises(CommandError, match=f"broken at entry {victim.id}: its content was changed"):
        call_command("verify_audit_log")


def test_a_removed_entry_breaks_the_next_link(owner, viewer, other_buyer):
    _first, second, third = Entry.objects.order_by("id")
    raw("DELETE FROM audit_entry WHERE id = %s", second.id)
    assert verify().broken_entry_id == third.id


def test_removing_the_newest_entry_is_noticed(owner, viewer):
    newest = Entry.objects.order_by("-id").first()
    raw("DELETE FROM audit_entry WHERE id = %s", newest.id)
    result = verify()
    assert not result.ok
    assert result.reason == "the newest entries were removed"
    assert ChainHead.objects.get().count == 2


def test_every_action_in_the_code_has_a_readable_name():
    import re
    from pathlib import Path

    from django.conf import settings

    from stonebridge.audit.labels import label

    source = "\n".join(
        p.read_text() for p in (Path(settings.BASE_DIR) / "stonebridge").rglob("*.py")
    )
    # verb="…" in record() calls, plus the verbs chosen in an expression or passed on.
    verbs = set(re.findall(r'verb="([a-z_.]+)"', source))
    verbs |= set(re.findall(r'"((?:import|sourcing)\.[a-z_]+)"', source))
    assert len(verbs) > 20
    assert sorted(v for v in verbs if label(v) == v) == []
