"""Backups: the whole database and the uploaded files in one file, restored only where they fit.

A backup file starts with a line that says what follows:

- ``SBBACKUP1E``: encrypted with ``BACKUP_KEY`` (a Fernet key). Then 32 bytes that let a restore
  tell a wrong key from a damaged file (an HMAC of a fixed text under the key, never the key),
  then frames of a 4-byte length and a Fernet token. Each token holds the frame's number, whether
  it is the last, and up to 4 MiB of the archive, so frames that are dropped, repeated,
  reordered or cut off are noticed, not only changed bytes.
- ``SBBACKUP1P``: not encrypted (allowed only with DEBUG on), the archive follows as is.

The archive is a gzip-compressed tar holding ``data/`` (SQLite: a copy made with SQLite's
backup API; PostgreSQL: ``pg_dump`` in its custom format, schema, data and sequences), ``media/``
(the files under MEDIA_ROOT, when it is set) and, last, ``manifest.json``: the engine, the
applied migrations, fingerprints of FIELD_ENCRYPTION_KEY and AUDIT_KEY (HMACs of a fixed text,
never the keys), the time, the rows per table and a SHA-256 of every other member.

Encrypted fields are copied as they are stored, as ciphertext, and the audit log's rows byte for
byte, so its chain verifies after a restore with the same AUDIT_KEY. A restore checks everything
it can before it changes anything: the file, the key, the engine, the migration state, the key
fingerprints and every checksum; then it replaces the database in one transaction and the files.
"""

import hashlib
import hmac
import io
import json
import os
import shutil
import sqlite3
import struct
import subprocess  # pg_dump and pg_restore, with arguments, never a shell
import tarfile
import tempfile
import time
from base64 import urlsafe_b64decode
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "stonebridge-backup"
FORMAT_VERSION = 1
MAGIC_ENCRYPTED = b"SBBACKUP1E\n"
MAGIC_PLAIN = b"SBBACKUP1P\n"
FRAME_SIZE = 4 * 1024 * 1024
KEY_CHECK_TEXT = b"StoneBridge backup key check"
FINGERPRINT_TEXT = b"StoneBridge backup key fingerprint"
SQLITE_MEMBER = "data/database.sqlite3"
POSTGRESQL_MEMBER = "data/database.pgdump"


class BackupError(Exception):
    """A backup cannot be written or restored; the message says why and what to do."""


@dataclass
class Manifest:
    engine: str
    created_at: str
    migrations: list[list[str]]
    keys: dict[str, Any]
    tables: dict[str, int]
    data: dict[str, Any]
    media: list[dict[str, Any]] | None
    format: str = FORMAT
    version: int = FORMAT_VERSION

    def rows(self) -> int:
        return sum(self.tables.values())

    def files(self) -> str:
        if self.media is None:
            return "uploads inside the database (no MEDIA_ROOT)"
        return f"{len(self.media)} files from MEDIA_ROOT"

    def to_json(self) -> bytes:
        return json.dumps(self.__dict__, indent=2, sort_keys=True).encode()


@dataclass
class Checked:
    """A backup that passed every check, unpacked in a temporary folder."""

    manifest: Manifest
    folder: Path
    cleanup: Callable[[], None] = field(repr=False)


# Keys and fingerprints


def _fernet_key_bytes(key: str) -> bytes:
    return urlsafe_b64decode(key.encode())


def _key_check(key: str) -> bytes:
    return hmac.new(_fernet_key_bytes(key), KEY_CHECK_TEXT, hashlib.sha256).digest()


def fingerprint(key: str) -> str:
    """Stands for a key in the manifest: equal keys give equal fingerprints, and the key cannot
    be recovered from it."""
    return hmac.new(key.encode(), FINGERPRINT_TEXT, hashlib.sha256).hexdigest()


def key_fingerprints() -> dict[str, Any]:
    return {
        "field_encryption": [fingerprint(key) for key in settings.FIELD_ENCRYPTION_KEYS],
        "audit": fingerprint(settings.AUDIT_KEY),
    }


def is_production() -> bool:
    # The settings treat DEBUG off as production: it is what makes SECRET_KEY, AUDIT_KEY and
    # FIELD_ENCRYPTION_KEY required.
    return not settings.DEBUG


# The encrypted stream


class _EncryptingWriter(io.RawIOBase):
    def __init__(self, out: IO[bytes], key: str) -> None:
        self.out = out
        self.fernet = Fernet(key)
        self.buffer = bytearray()
        self.index = 0
        out.write(MAGIC_ENCRYPTED + _key_check(key))

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.buffer += data
        while len(self.buffer) > FRAME_SIZE:
            self._frame(bytes(self.buffer[:FRAME_SIZE]), last=False)
            del self.buffer[:FRAME_SIZE]
        return len(data)

    def _frame(self, chunk: bytes, *, last: bool) -> None:
        token = self.fernet.encrypt(struct.pack(">Q?", self.index, last) + chunk)
        self.out.write(struct.pack(">I", len(token)) + token)
        self.index += 1

    def finish(self) -> None:
        self._frame(bytes(self.buffer), last=True)
        self.buffer.clear()


class _DecryptingReader(io.RawIOBase):
    def __init__(self, source: IO[bytes], key: str) -> None:
        self.source = source
        self.fernet = Fernet(key)
        self.buffer = b""
        self.index = 0
        self.ended = False

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self.buffer and not self.ended:
            self._next_frame()
        size = min(len(target), len(self.buffer))
        target[:size] = self.buffer[:size]
        self.buffer = self.buffer[size:]
        return size

    def _next_frame(self) -> None:
        header = self.source.read(4)
        if len(header) != 4:
            raise BackupError("The backup file is cut short or damaged.")
        (length,) = struct.unpack(">I", header)
        token = self.source.read(length)
        try:
            plain = self.fernet.decrypt(token)
        except InvalidToken:
            raise BackupError("The backup file is damaged (a part fails its check).") from None
        index, last = struct.unpack(">Q?", plain[:9])
        if index != self.index:
            raise BackupError("The backup file is damaged (its parts are out of order).")
        self.index += 1
        self.buffer = plain[9:]
        if last:
            self.ended = True
            if self.source.read(1):
                raise BackupError("The backup file is damaged (data after its end).")


# Writing a backup


def _sqlite_copy(target: Path) -> None:
    """A consistent copy through SQLite's backup API, made self-contained (no WAL)."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()


def _sqlite_state(path: Path) -> tuple[dict[str, int], list[list[str]]]:
    database = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [
            row[0]
            for row in database.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        tables = {}
        for name in names:
            count_sql = f'SELECT COUNT(*) FROM "{name}"'  # noqa: S608  # names from sqlite_master
            tables[name] = database.execute(count_sql).fetchone()[0]
        migrations = [
            [app, name]
            for app, name in database.execute(
                "SELECT app, name FROM django_migrations ORDER BY app, name"
            )
        ]
    finally:
        database.close()
    return tables, migrations


def _postgresql_environment() -> dict[str, str]:
    values = connection.settings_dict
    environment = dict(os.environ)
    for variable, value in (
        ("PGHOST", values.get("HOST")),
        ("PGPORT", values.get("PORT")),
        ("PGUSER", values.get("USER")),
        ("PGPASSWORD", values.get("PASSWORD")),
        ("PGDATABASE", values.get("NAME")),
        ("PGSSLMODE", (values.get("OPTIONS") or {}).get("sslmode")),
    ):
        if value:
            environment[variable] = str(value)
    return environment


def _run(arguments: list[str], what: str) -> None:
    if shutil.which(arguments[0]) is None:
        raise BackupError(
            f"{arguments[0]} is not installed; install the PostgreSQL client of the server's "
            "version (Debian: postgresql-client)."
        )
    result = subprocess.run(  # noqa: S603  # fixed program, arguments from settings
        arguments, env=_postgresql_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip()}")


def _postgresql_copy(target: Path) -> tuple[dict[str, int], list[list[str]]]:
    """Counts, migration state and pg_dump all read one snapshot, exported from a REPEATABLE
    READ transaction, so they describe the same moment while the application keeps writing."""
    if connection.in_atomic_block:
        raise BackupError("A backup cannot be made inside a transaction.")
    connection.ensure_connection()
    connection.set_autocommit(False)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            names = sorted(connection.introspection.table_names(cursor))
            tables = {}
            for name in names:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608
                tables[name] = cursor.fetchone()[0]
            cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
            migrations = [[app, name] for app, name in cursor.fetchall()]
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--compress=0",
                    f"--snapshot={snapshot}",
                    "--no-owner",
                    "--no-privileges",
                    f"--file={target}",
                ],
                "pg_dump",
            )
        connection.rollback()
    finally:
        connection.set_autocommit(True)
    return tables, migrations


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def engine() -> str:
    if connection.vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def write(output: Path, *, key: str = "") -> Manifest:
    """Writes a backup of the database and MEDIA_ROOT to `output` (made beside it, then moved
    into place, so a failed backup leaves no half file)."""
    key = key or settings.BACKUP_KEY
    if not key and is_production():
        raise BackupError(
            "BACKUP_KEY is not set. Production backups must be encrypted: set BACKUP_KEY to a "
            "Fernet key kept apart from the database and its backups, e.g. "
            "python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'"
        )
    if output.exists():
        raise BackupError(f"{output} already exists; choose a new file name.")
    vendor = engine()
    with tempfile.TemporaryDirectory(prefix="stonebridge-backup-") as folder:
        data = Path(folder) / "data"
        if vendor == "sqlite":
            _sqlite_copy(data)
            tables, migrations = _sqlite_state(data)
            member = SQLITE_MEMBER
        else:
            tables, migrations = _postgresql_copy(data)
            member = POSTGRESQL_MEMBER
        media_root = Path(settings.MEDIA_ROOT) if settings.MEDIA_ROOT else None
        media_files = list(_media_files(media_root)) if media_root and media_root.is_dir() else []
        manifest = Manifest(
            engine=vendor,
            created_at=timezone.now().isoformat(),
            migrations=migrations,
            keys=key_fingerprints(),
            tables=tables,
            data={"name": member, "sha256": _sha256(data), "size": data.stat().st_size},
            media=None if media_root is None else [],
        )
        partial = output.with_name(f".{output.name}.partial")
        try:
            with partial.open("wb") as out:
                os.chmod(partial, 0o600)
                writer: Any = _EncryptingWriter(out, key) if key else out
                if not key:
                    out.write(MAGIC_PLAIN)
                with tarfile.open(fileobj=writer, mode="w|gz") as archive:
                    archive.add(data, arcname=member)
                    for path in media_files:
                        assert media_root is not None
                        assert manifest.media is not None
                        name = path.relative_to(media_root).as_posix()
                        digest = _sha256(path)
                        archive.add(path, arcname=f"media/{name}")
                        manifest.media.append(
                            {"path": name, "sha256": digest, "size": path.stat().st_size}
                        )
                    body = manifest.to_json()
                    info = tarfile.TarInfo("manifest.json")
                    info.size = len(body)
                    info.mtime = int(time.time())
                    archive.addfile(info, io.BytesIO(body))
                if key:
                    writer.finish()
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


# Checking and restoring


def _unpack(path: Path, folder: Path, key: str) -> None:
    with path.open("rb") as source:
        magic = source.read(len(MAGIC_ENCRYPTED))
        if magic == MAGIC_ENCRYPTED:
            if not key:
                raise BackupError(
                    "The backup is encrypted and BACKUP_KEY is not set; set the key it was "
                    "made with."
                )
            if not hmac.compare_digest(source.read(32), _key_check(key)):
                raise BackupError(
                    "BACKUP_KEY is not the key this backup was made with; nothing was changed."
                )
            stream: Any = io.BufferedReader(_DecryptingReader(source, key))
        elif magic == MAGIC_PLAIN:
            stream = source
        else:
            raise BackupError(f"{path} is not a StoneBridge backup (or its start is damaged).")
        try:
            with tarfile.open(fileobj=stream, mode="r|gz") as archive:
                archive.extractall(folder, filter="data")
            if stream is not source:
                stream.read()  # to the last frame: a backup cut short is refused
        except (tarfile.TarError, OSError, EOFError, ValueError) as error:
            raise BackupError(f"The backup file is damaged ({error}).") from None


def _current_migrations() -> list[list[str]]:
    applied = MigrationRecorder(connection).applied_migrations()
    return sorted([app, name] for app, name in applied)


def _differences(backup: list[list[str]], current: list[list[str]]) -> str:
    def names(items: set[tuple[str, ...]]) -> str:
        listed = sorted(".".join(item) for item in items)
        return ", ".join(listed[:5]) + (f" and {len(listed) - 5} more" if len(listed) > 5 else "")

    only_backup = {tuple(item) for item in backup} - {tuple(item) for item in current}
    only_here = {tuple(item) for item in current} - {tuple(item) for item in backup}
    parts = []
    if only_backup:
        parts.append(f"only in the backup: {names(only_backup)}")
    if only_here:
        parts.append(f"only in this database: {names(only_here)}")
    return "; ".join(parts)


def check(path: Path, *, key: str = "") -> Checked:
    """Unpacks and checks a backup against this installation; changes nothing. The caller calls
    `cleanup()` on the result."""
    key = key or settings.BACKUP_KEY
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    folder = Path(tempfile.mkdtemp(prefix="stonebridge-restore-"))

    def cleanup() -> None:
        shutil.rmtree(folder, ignore_errors=True)

    try:
        _unpack(path, folder, key)
        try:
            values = json.loads((folder / "manifest.json").read_bytes())
            manifest = Manifest(**values)
        except (OSError, ValueError, TypeError):
            raise BackupError("The backup file is damaged (its manifest is missing).") from None
        if manifest.format != FORMAT or manifest.version != FORMAT_VERSION:
            raise BackupError(f"This backup's format ({manifest.version}) is not supported.")
        members = [(manifest.data["name"], manifest.data["sha256"])] + [
            (f"media/{item['path']}", item["sha256"]) for item in manifest.media or []
        ]
        for name, digest in members:
            member = folder / name
            if not member.is_file() or _sha256(member) != digest:
                raise BackupError(f"The backup file is damaged ({name} fails its checksum).")
        if manifest.engine != engine():
            raise BackupError(
                f"This backup is of a {manifest.engine} database; it restores only to "
                f"{manifest.engine}, and this installation uses {engine()}."
            )
        current = _current_migrations()
        if manifest.migrations != current:
            raise BackupError(
                "This backup was made at a different migration state; migrate this "
                "installation to the backup's state (or restore on the release that made it). "
                + _differences(manifest.migrations, current)
            )
        here = key_fingerprints()
        if manifest.keys["audit"] != here["audit"]:
            raise BackupError(
                "AUDIT_KEY differs from the one the backup was made with; the audit log "
                "would fail verification. Set the AUDIT_KEY of the backup's installation."
            )
        missing = set(manifest.keys["field_encryption"]) - set(here["field_encryption"])
        if missing:
            raise BackupError(
                "FIELD_ENCRYPTION_KEY does not hold every key the backup was made with; the "
                "workers' encrypted data would be unreadable. Set the backup's key(s)."
            )
        if manifest.media and not settings.MEDIA_ROOT:
            raise BackupError("The backup holds uploaded files, and MEDIA_ROOT is not set.")
    except BaseException:
        cleanup()
        raise
    return Checked(manifest=manifest, folder=folder, cleanup=cleanup)


def _sqlite_restore(source: Path) -> None:
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a transaction.")
    copy = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        # One step: the whole database is replaced in one write transaction, or not at all.
        copy.backup(connection.connection)
    except sqlite3.Error as error:
        raise BackupError(f"The database could not be replaced: {error}") from None
    finally:
        copy.close()


def _postgresql_restore(source: Path) -> None:
    # pg_restore drops and recreates every table: Django's own connection must not hold a lock.
    connection.close()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source),
        ],
        "pg_restore",
    )


def _replace_media(source: Path) -> None:
    root = Path(settings.MEDIA_ROOT)
    root.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=".restore-", dir=root.parent))
    if source.is_dir():
        shutil.copytree(source, staged, dirs_exist_ok=True)
    old = root.with_name(f".{root.name}.before-restore")
    shutil.rmtree(old, ignore_errors=True)
    if root.exists():
        root.rename(old)
    staged.rename(root)
    shutil.rmtree(old, ignore_errors=True)


def restore(checked: Checked) -> None:
    """Replaces the database and (when the backup carries them) the files under MEDIA_ROOT."""
    data = checked.folder / checked.manifest.data["name"]
    if checked.manifest.engine == "sqlite":
        _sqlite_restore(data)
    else:
        _postgresql_restore(data)
    ContentType.objects.clear_cache()
    if checked.manifest.media is not None and settings.MEDIA_ROOT:
        _replace_media(checked.folder / "media")


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        names = sorted(
            name
            for name in connection.introspection.table_names(cursor)
            if not name.startswith("sqlite_")
        )
        counts = {}
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608
            counts[name] = cursor.fetchone()[0]
    return counts
