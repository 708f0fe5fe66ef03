"""`manage.py backup` and `manage.py restore`: everything comes back, or nothing changes.

The restore replaces the test database itself (pytest-django's, named test_…), so these tests
run with transactions committed (`transaction=True`).
"""

import io
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from stonebridge.accounts.models import Organisation, User
from stonebridge.audit.models import ChainHead
from stonebridge.reports import backups
from stonebridge.voice.models import Attachment, Case
from tests.conftest import OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)

KEY = Fernet.generate_key().decode()
PHOTO = b"\xff\xd8\xff\xe0 a photo of the dust at the cutting line \xff\xd9"


@pytest.fixture
def configured(reference_data, settings, tmp_path):
    settings.BACKUP_KEY = KEY
    settings.MEDIA_ROOT = str(tmp_path / "media")
    media = Path(settings.MEDIA_ROOT)
    (media / "evidence").mkdir(parents=True)
    (media / "evidence" / "payroll-2026-03.pdf").write_bytes(b"%PDF-1.7 payroll")
    return settings


def backup(path: Path) -> str:
    out = io.StringIO()
    call_command("backup", output=path, stdout=out)
    return out.getvalue()


def restore(path: Path) -> str:
    out = io.StringIO()
    call_command("restore", str(path), interactive=False, stdout=out)
    return out.getvalue()


def raw_attachments() -> list[tuple[int, bytes]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, content FROM voice_attachment ORDER BY id")
        return [(pk, bytes(content)) for pk, content in cursor.fetchall()]


def state() -> tuple[dict[str, int], list[str]]:
    return backups.table_counts(), sorted(Organisation.objects.values_list("slug", flat=True))


def test_it_backs_up_wipes_and_restores_the_demo(configured, tmp_path):
    call_command("seed_demo", stdout=io.StringIO())
    case = Case.objects.order_by("pk").first()
    attachment = Attachment.objects.create(
        case=case, kind="photo", content=PHOTO, content_type="image/jpeg", size=len(PHOTO)
    )
    counts, slugs = state()
    ciphertexts = raw_attachments()
    head = ChainHead.objects.get()
    owner = User.objects.get(email="owner@noordsteen.example")
    path = tmp_path / "stonebridge.backup"

    said = backup(path)

    assert "encrypted with BACKUP_KEY" in said
    assert PHOTO not in path.read_bytes()
    assert b"Noordsteen" not in path.read_bytes()
    call_command("flush", interactive=False, verbosity=0)
    media = Path(configured.MEDIA_ROOT)
    (media / "evidence" / "payroll-2026-03.pdf").unlink()
    (media / "stray.txt").write_text("made after the backup")
    assert not Organisation.objects.exists()

    said = restore(path)

    assert f"Restored {sum(counts.values())} rows" in said
    assert state() == (counts, slugs)
    assert raw_attachments() == ciphertexts  # still encrypted, the same ciphertext
    assert Attachment.objects.get(pk=attachment.pk).content == PHOTO
    assert ChainHead.objects.get().last_hash == head.last_hash
    restored = User.objects.get(email="owner@noordsteen.example")
    assert (restored.pk, restored.password) == (owner.pk, owner.password)
    assert (media / "evidence" / "payroll-2026-03.pdf").read_bytes() == b"%PDF-1.7 payroll"
    assert not (media / "stray.txt").exists()
    out = io.StringIO()
    call_command("verify_audit_log", stdout=out)
    assert "Audit log intact" in out.getvalue()
    # New rows continue the sequences where the backup left them.
    newest = max(Organisation.objects.values_list("pk", flat=True))
    assert OrganisationFactory().pk == newest + 1


@pytest.fixture
def backed_up(configured, owner, supplier_user, tmp_path):
    """A small database and its backup, then a change made after the backup: a refused restore
    must leave that change in place."""
    path = tmp_path / "stonebridge.backup"
    backup(path)
    OrganisationFactory(slug="after-the-backup")
    return path


def refused(path: Path, message: str) -> None:
    before = state()
    with pytest.raises(CommandError, match=message):
        restore(path)
    assert state() == before
    assert Organisation.objects.filter(slug="after-the-backup").exists()


def test_a_wrong_backup_key_is_refused(backed_up, settings):
    settings.BACKUP_KEY = Fernet.generate_key().decode()
    refused(backed_up, "BACKUP_KEY is not the key this backup was made with")


def test_an_encrypted_backup_without_a_key_is_refused(backed_up, settings):
    settings.BACKUP_KEY = ""
    refused(backed_up, "encrypted and BACKUP_KEY is not set")


def test_a_different_migration_state_is_refused(backed_up):
    MigrationRecorder.Migration.objects.create(app="reports", name="0099_not_in_the_backup")
    refused(backed_up, "different migration state.*only in this database: reports.0099")


def test_a_different_field_encryption_key_is_refused(backed_up, settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    refused(backed_up, "FIELD_ENCRYPTION_KEY does not hold every key")


def test_a_new_field_encryption_key_beside_the_old_one_is_accepted(backed_up, settings):
    settings.FIELD_ENCRYPTION_KEYS = [
        Fernet.generate_key().decode(),
        *settings.FIELD_ENCRYPTION_KEYS,
    ]
    restore(backed_up)
    assert not Organisation.objects.filter(slug="after-the-backup").exists()


def test_a_different_audit_key_is_refused(backed_up, settings):
    settings.AUDIT_KEY = "another-audit-key"
    refused(backed_up, "AUDIT_KEY differs")


def test_another_database_engine_is_refused(backed_up, monkeypatch):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    monkeypatch.setattr(backups, "engine", lambda: other)
    refused(backed_up, f"restores only to {connection.vendor}")


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[:1000] + bytes([data[1000] ^ 1]) + data[1001:], id="bit"),
        pytest.param(lambda data: data[: len(data) // 2], id="cut-short"),
        pytest.param(lambda data: b"PK\x03\x04" + data[4:], id="not-a-backup"),
    ],
)
def test_a_damaged_file_is_refused(backed_up, damage):
    backed_up.write_bytes(damage(backed_up.read_bytes()))
    refused(backed_up, "damaged")


def test_a_damaged_unencrypted_backup_is_refused(configured, owner, tmp_path):
    configured.DEBUG = True
    configured.BACKUP_KEY = ""
    path = tmp_path / "plain.backup"
    assert "NOT encrypted" in backup(path)
    OrganisationFactory(slug="after-the-backup")
    data = path.read_bytes()
    path.write_bytes(data[:-300] + bytes(b ^ 0x55 for b in data[-300:]))
    refused(path, "damaged")


def test_without_debug_a_backup_needs_a_key(configured, owner, tmp_path):
    configured.DEBUG = False
    configured.BACKUP_KEY = ""
    path = tmp_path / "plain.backup"
    with pytest.raises(CommandError, match="BACKUP_KEY is not set"):
        backup(path)
    assert not path.exists()
    assert list(tmp_path.glob("*backup*")) == []


def test_an_existing_file_is_not_overwritten(configured, owner, tmp_path):
    path = tmp_path / "stonebridge.backup"
    path.write_bytes(b"last week's backup")
    with pytest.raises(CommandError, match="already exists"):
        backup(path)
    assert path.read_bytes() == b"last week's backup"


def test_the_restore_asks_first(backed_up, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    before = state()
    with pytest.raises(CommandError, match="cancelled; nothing was changed"):
        call_command("restore", str(backed_up), stdout=io.StringIO())
    assert state() == before


def test_the_manifest_holds_fingerprints_never_the_keys(backed_up, settings):
    checked = backups.check(backed_up)
    try:
        manifest = checked.manifest
        text = (checked.folder / "manifest.json").read_text()
    finally:
        checked.cleanup()
    assert manifest.engine == connection.vendor
    assert ["audit", "0001_initial"] in manifest.migrations
    assert manifest.tables["accounts_organisation"] == 2
    assert manifest.media == [
        {
            "path": "evidence/payroll-2026-03.pdf",
            "sha256": backups._sha256(
                Path(settings.MEDIA_ROOT) / "evidence" / "payroll-2026-03.pdf"
            ),
            "size": 16,
        }
    ]
    for key in [settings.AUDIT_KEY, *settings.FIELD_ENCRYPTION_KEYS, KEY]:
        assert key not in text
