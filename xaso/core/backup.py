"""`xaso backup DIR` and `xaso restore DIR`: the database and the stored files, at one moment,
with a manifest of checksums and row counts; restored onto an empty database and storage.

What a backup holds:
- `database.dump` (PostgreSQL: `pg_dump --format=custom`) or `database.sqlite3` (SQLite: a copy
  through SQLite's online backup API, consistent while the processes keep writing);
- `files/<name>`: every file a row points to (FileFields of every model), read through the
  field's storage (the file system or an S3 bucket) as stored, i.e. the uploads encrypted: a
  backup is no more readable than the storage without XASO_FIELD_KEY;
- `manifest.json`: sha256 and size of the dump and of each file (and which storage it is in),
  the row count of every table, the files that rows point to but the storage lacked.

The row counts and the list of files come from the very state that is dumped: on PostgreSQL the
snapshot `pg_dump` dumps (`pg_export_snapshot()` in a REPEATABLE READ transaction,
`pg_dump --snapshot`); on SQLite the copy itself, read after the backup API made it in one step.
A dossier committed during the backup is either in the dump with its files, or in neither.

Restore checks every checksum first, refuses a database that has tables or a storage that has
any of the files, loads the database (`pg_restore`, or the SQLite file through the backup API),
writes the files under their names, reads each back and compares its checksum, and compares the
row count of every table with the manifest. The keys are not in the backup (docs/OPERATIONS.md §5).
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db import connection, models, transaction
from django.utils import timezone

from .storage import EncryptedStorage, encrypted_storage

MANIFEST = "manifest.json"
FORMAT = 1
PG_DUMP, SQLITE_COPY = "database.dump", "database.sqlite3"
# How long a SQLite copy may wait for a lock before giving up (the backup API retries for ever).
SQLITE_LOCK_SECONDS = 60


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _vendor() -> str:
    return connection.vendor  # "postgresql" or "sqlite"


def _pg_environment() -> dict[str, str]:
    db = connection.settings_dict  # the test database's name in tests, not the configured one
    environment = dict(os.environ)
    for key, name in [("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                      ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")]:  # fmt: skip
        if db.get(key):
            environment[name] = str(db[key])
    return environment


def _pg_tool(name: str) -> str:
    """pg_dump / pg_restore: XASO_PG_BIN if set, else the PATH."""
    folder = os.environ.get("XASO_PG_BIN", "")
    found = shutil.which(name, path=folder or None)
    if not found:
        raise BackupError(f"{name} not found (install postgresql-client or set XASO_PG_BIN)")
    return found


def _storage_key(model_field: models.FileField) -> str:
    """Which storage a field's files are in: "encrypted" (uploads, photos) or "default"."""
    return "encrypted" if isinstance(model_field.storage, EncryptedStorage) else "default"


def _storage(key: str) -> Storage:
    return encrypted_storage() if key == "encrypted" else default_storage


def _file_columns() -> list[tuple[str, str, str]]:
    """(table, column, storage key) of every FileField of every model."""
    return [
        (model._meta.db_table, model_field.column, _storage_key(model_field))
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
        for model_field in model._meta.concrete_fields
        if isinstance(model_field, models.FileField)
    ]


def _tables() -> list[str]:
    return sorted(connection.introspection.table_names(include_views=False))


def _row_counts(cursor, tables: list[str]) -> dict[str, int]:
    quote = connection.ops.quote_name
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - introspected names
        counts[table] = cursor.fetchone()[0]
    return counts


def _file_names(cursor) -> dict[str, str]:
    """Every file name a row points to, and its storage key, as this cursor sees the rows (the
    dumped snapshot, or the SQLite copy): raw SQL, so it reads whatever the cursor reads."""
    quote = connection.ops.quote_name
    names: dict[str, str] = {}
    for table, column, key in _file_columns():
        cursor.execute(
            f"SELECT DISTINCT {quote(column)} FROM {quote(table)}"  # noqa: S608 - model names
            f" WHERE {quote(column)} IS NOT NULL AND {quote(column)} <> ''"
        )
        for (name,) in cursor.fetchall():
            if names.setdefault(name, key) != key:
                raise BackupError(f"{name} is named in two storages; cannot back it up")
    return dict(sorted(names.items()))


def _sqlite_copy(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """The whole database in one step of SQLite's online backup API (a consistent copy while
    other processes keep writing), giving up after SQLITE_LOCK_SECONDS of waiting for a lock
    rather than retrying for ever as the API does."""
    deadline = time.monotonic() + SQLITE_LOCK_SECONDS

    def waited(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise BackupError(f"the SQLite database stayed locked for {SQLITE_LOCK_SECONDS} s")

    source.backup(target, pages=-1, progress=waited)


def _sqlite_tables(copy: sqlite3.Connection) -> list[str]:
    rows = copy.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return sorted(name for (name,) in rows)


@dataclass
class BackupReport:
    directory: Path
    tables: int
    rows: int
    files: int
    missing_files: list[str] = field(default_factory=list)


def backup_create(directory: Path) -> BackupReport:
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty")
    vendor = _vendor()
    if connection.in_atomic_block:
        # SQLite's copy would wait for this very transaction's lock (for ever, in the backup
        # API); PostgreSQL's snapshot must be the first statement of its own transaction.
        raise BackupError("a backup runs outside any transaction")
    (directory / "files").mkdir(parents=True, exist_ok=True)
    if vendor == "postgresql":
        database_file = directory / PG_DUMP
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = _tables()
            counts = _row_counts(cursor, tables)
            names = _file_names(cursor)
            dumped = subprocess.run(  # noqa: S603 - fixed arguments
                [_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--snapshot={snapshot}",
                 f"--file={database_file}"],
                env=_pg_environment(), capture_output=True, text=True, check=False,
            )  # fmt: skip
            if dumped.returncode != 0:
                raise BackupError(f"pg_dump failed: {dumped.stderr.strip()}")
            missing = _files_copy(names, directory / "files")
    elif vendor == "sqlite":
        database_file = directory / SQLITE_COPY
        connection.ensure_connection()
        copy = sqlite3.connect(database_file)
        try:
            _sqlite_copy(connection.connection, copy)
            counts = _row_counts(copy.cursor(), _sqlite_tables(copy))
            names = _file_names(copy.cursor())
        finally:
            copy.close()
        # Files are stored before the row that names them commits: every one is there (unless
        # deleted since the copy, then listed as missing).
        missing = _files_copy(names, directory / "files")
    else:  # pragma: no cover
        raise BackupError(f"backups of {vendor} are not supported")
    files = {
        name: {"sha256": _sha256(directory / "files" / name),
               "size": (directory / "files" / name).stat().st_size, "storage": key}
        for name, key in names.items() if name not in missing
    }  # fmt: skip
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": {"vendor": vendor, "file": database_file.name,
                     "sha256": _sha256(database_file), "size": database_file.stat().st_size},
        "tables": counts,
        "files": files,
        "missing_files": missing,
    }  # fmt: skip
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return BackupReport(directory, len(counts), sum(counts.values()), len(files), missing)


def _raw_read(storage: Storage, name: str) -> bytes:
    """The bytes as stored: the ciphertext of an encrypted file."""
    if isinstance(storage, EncryptedStorage):
        return storage.raw_read(name)
    with storage.open(name, "rb") as stored:
        return stored.read()


def _raw_write(storage: Storage, name: str, content: bytes) -> None:
    if isinstance(storage, EncryptedStorage):
        storage.raw_write(name, content)
    elif (saved := storage.save(name, ContentFile(content))) != name:
        raise BackupError(f"{name} was stored as {saved}: the rows would not find it")


def _files_copy(names: dict[str, str], into: Path) -> list[str]:
    missing = []
    for name, key in names.items():
        target = (into / name).resolve()
        if not target.is_relative_to(into.resolve()):
            raise BackupError(f"refusing a file name outside the backup: {name}")
        storage = _storage(key)
        if not storage.exists(name):
            missing.append(name)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_raw_read(storage, name))
    return missing


def manifest_read(directory: Path) -> dict:
    directory = Path(directory)
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"no readable {MANIFEST} in {directory}: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def backup_verify(directory: Path) -> dict:
    """Every checksum of the manifest, or BackupError naming the first that differs."""
    directory = Path(directory)
    manifest = manifest_read(directory)
    database = manifest["database"]
    if _sha256(directory / database["file"]) != database["sha256"]:
        raise BackupError(f"{database['file']}: checksum differs from the manifest")
    for name, entry in manifest["files"].items():
        path = directory / "files" / name
        if not path.is_file() or _sha256(path) != entry["sha256"]:
            raise BackupError(f"files/{name}: missing or checksum differs from the manifest")
    return manifest


@dataclass
class RestoreReport:
    tables: int
    rows: int
    files: int
    differences: list[str]


def backup_restore(directory: Path) -> RestoreReport:
    directory = Path(directory)
    manifest = backup_verify(directory)
    vendor = _vendor()
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(
            f"a {manifest['database']['vendor']} backup cannot be restored onto {vendor}"
        )
    if tables := _tables():
        raise BackupError(
            f"the database is not empty ({len(tables)} tables, e.g. {tables[0]}): restore onto an "
            "empty database; nothing was changed"
        )
    present = [
        name for name, entry in manifest["files"].items()
        if _storage(entry.get("storage", "encrypted")).exists(name)
    ]  # fmt: skip
    if present:
        raise BackupError(
            f"the storage already has {len(present)} of the files, e.g. {present[0]}: restore "
            "onto an empty storage; nothing was changed"
        )

    database_file = directory / manifest["database"]["file"]
    if vendor == "postgresql":
        connection.close()
        restored = subprocess.run(  # noqa: S603 - fixed arguments
            [_pg_tool("pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction",
             f"--dbname={connection.settings_dict['NAME']}", str(database_file)],
            env=_pg_environment(), capture_output=True, text=True, check=False,
        )  # fmt: skip
        if restored.returncode != 0:
            raise BackupError(f"pg_restore failed: {restored.stderr.strip()}")
    else:
        connection.ensure_connection()
        source = sqlite3.connect(database_file)
        try:
            _sqlite_copy(source, connection.connection)
        finally:
            source.close()
        connection.close()

    for name, entry in manifest["files"].items():
        storage = _storage(entry.get("storage", "encrypted"))
        _raw_write(storage, name, (directory / "files" / name).read_bytes())
        if hashlib.sha256(_raw_read(storage, name)).hexdigest() != entry["sha256"]:
            raise BackupError(f"{name}: the stored copy differs from the backup")

    with connection.cursor() as cursor:
        counts = _row_counts(cursor, sorted(manifest["tables"]))
    differences = [
        f"{table}: {counts[table]} rows, the backup has {expected}"
        for table, expected in manifest["tables"].items()
        if counts[table] != expected
    ]
    return RestoreReport(len(counts), sum(counts.values()), len(manifest["files"]), differences)
