"""`xaso backup DIR` then `xaso restore DIR` onto an empty database and an empty storage (in a
separate process, as an operator runs it): every table has the same row count, every file the
same checksum and decrypts, `xaso audit verify` passes. On SQLite and on PostgreSQL (CI runs this
file in both database steps), with the files on the disk or in an S3 bucket (moto's server)."""
# ruff: noqa: F811 (the services' fixtures, imported here, are test arguments)

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.dossiers.conftest import submission
from tests.dossiers.test_uploads import pdf, photo_with_exif, post_file, uploaded
from tests.helpers.api import ApiClient
from tests.helpers.services import S3_KEYS, free_port, s3_bucket, s3_endpoint  # noqa: F401
from xaso.core.backup import MANIFEST, BackupError, backup_create
from xaso.core.storage import encrypted_storage
from xaso.dossiers.models import Upload
from xaso.news.models import Bulletin

WAV = b"RIFF\x24\x00\x00\x00WAVEfmt "  # a bulletin's audio: in the default storage, not encrypted


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def filed(demo_committed, media) -> list[Upload]:
    """Two dossiers with real attachments, committed (the dump is taken by another process)."""
    uploads = []
    for content in (photo_with_exif, pdf):
        upload = uploaded(post_file(content(), "CCCD.jpg"))
        body = submission()
        Upload.objects.filter(token=body["form"]["birth_certificate"][0]).delete()  # no file
        body["form"]["birth_certificate"] = [upload.token]
        response = ApiClient().post("/api/v1/dossiers", body)
        assert response.status_code == 201, response.content
        uploads.append(upload)
    return uploads


@pytest.fixture
def audio(demo_committed, media) -> str:
    """A bulletin's audio file (as `bulletin_audio_make` stores it, without espeak-ng): its name."""
    bulletin = Bulletin.objects.order_by("pk").first()
    bulletin.audio.save(f"{bulletin.code}.wav", ContentFile(WAV), save=True)
    return bulletin.audio.name


def row_counts_here() -> dict[str, int]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(include_views=False)):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def xaso(*arguments: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "xaso", *arguments],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def stored_checksums(uploads: list[Upload], audio: str, media: Path) -> dict[str, str]:
    """sha256 of every file as stored: the uploads' ciphertext, the audio's bytes."""
    storage = encrypted_storage()
    checksums = {u.file.name: hashlib.sha256(storage.raw_read(u.file.name)).hexdigest()
                 for u in uploads}  # fmt: skip
    checksums[audio] = hashlib.sha256((media / audio).read_bytes()).hexdigest()
    return checksums


def target_environment(tmp_path: Path, database_url: str) -> dict:
    keys = ("SECRET_KEY", "XASO_FIELD_KEY", "XASO_SIGNING_KEY")
    return {
        **{name: value for name, value in os.environ.items() if not name.startswith("XASO_")},
        **{name: os.environ[name] for name in keys},
        "DJANGO_SETTINGS_MODULE": "xaso.settings",
        "XASO_DEBUG": "1",
        "XASO_VAR_DIR": str(tmp_path / "restored-var"),
        "XASO_MEDIA_ROOT": str(tmp_path / "restored-media"),
        "DATABASE_URL": database_url,
    }


@pytest.fixture
def empty_database(tmp_path):
    """An empty database of the same kind as the tests': its URL, and how to count its rows."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"

        def counts() -> dict[str, int]:
            with sqlite3.connect(path) as restored:
                tables = [name for (name,) in restored.execute(
                    "SELECT name FROM sqlite_master WHERE type='table'"
                    " AND name NOT LIKE 'sqlite_%'")]  # fmt: skip
                return {t: restored.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]  # noqa: S608
                        for t in sorted(tables)}  # fmt: skip

        yield f"sqlite:///{path}", counts
        return
    import psycopg

    params = connection.settings_dict
    name = f"{params['NAME']}_restored"
    server = {
        "host": params["HOST"],
        "port": params["PORT"] or 5432,
        "user": params["USER"],
        "password": params["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')

    def counts() -> dict[str, int]:
        with psycopg.connect(**{**server, "dbname": name}) as restored:
            tables = [row[0] for row in restored.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]  # fmt: skip
            return {t: restored.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]  # noqa: S608
                    for t in sorted(tables)}  # fmt: skip

    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    yield f"postgres://{params['USER']}{password}@{server['host']}:{server['port']}/{name}", counts
    with psycopg.connect(**server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restored_onto_an_empty_database_and_storage_is_the_same(
    filed, audio, media, tmp_path, empty_database, capsys
):
    url, restored_counts = empty_database
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    assert "3 file(s)" in capsys.readouterr().out
    manifest = json.loads((backup / MANIFEST).read_text())
    source_counts = row_counts_here()
    assert manifest["tables"] == source_counts
    assert source_counts["dossiers_dossier"] >= 2 and source_counts["core_auditentry"] > 0
    stored = stored_checksums(filed, audio, media)
    assert {name: entry["sha256"] for name, entry in manifest["files"].items()} == stored
    assert manifest["files"][audio]["storage"] == "default"
    for upload in filed:  # the backup holds the files as stored: the uploads encrypted
        assert b"%PDF" not in (backup / "files" / upload.file.name).read_bytes()[:64]
    call_command("backup", str(backup), verify=True)
    assert "backup intact: database and 3 file(s) match" in capsys.readouterr().out

    env = target_environment(tmp_path, url)
    restored = xaso("restore", str(backup), env=env)
    assert restored.returncode == 0, restored.stderr
    assert "every checksum and row count matches" in restored.stdout
    assert restored_counts() == source_counts

    restored_media = tmp_path / "restored-media"
    for name, digest in stored.items():
        assert hashlib.sha256((restored_media / name).read_bytes()).hexdigest() == digest
    audit = xaso("audit", "verify", env=env)
    assert audit.returncode == 0, audit.stderr
    assert f"audit trail intact: {source_counts['core_auditentry']} rows" in audit.stdout
    # The restored files decrypt to what was uploaded (the uploads' own sha256).
    opened = xaso("shell", "-c", "from xaso.dossiers.models import Upload; import hashlib; "
                  "print(all(hashlib.sha256(u.file.open('rb').read()).hexdigest() == u.sha256 "
                  "for u in Upload.objects.exclude(file='')))", env=env)  # fmt: skip
    assert opened.stdout.strip().splitlines()[-1] == "True", opened.stderr
    migrate = xaso("migrate", "--check", env=env)
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr

    again = xaso("restore", str(backup), env=env)  # never over data
    assert again.returncode != 0
    assert "the database is not empty" in again.stderr and "nothing was changed" in again.stderr
    assert restored_counts() == source_counts  # nothing lost, nothing doubled
    for name, digest in stored.items():
        assert hashlib.sha256((restored_media / name).read_bytes()).hexdigest() == digest


def test_files_in_an_s3_bucket_are_backed_up_and_restored_into_an_empty_bucket(
    s3_bucket, s3_endpoint, filed, audio, media, tmp_path, empty_database, capsys
):
    client, bucket = s3_bucket
    url, restored_counts = empty_database
    objects = {u.file.name: client.get_object(Bucket=bucket, Key=f"media/{u.file.name}")
               ["Body"].read() for u in filed}  # fmt: skip
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    assert "3 file(s)" in capsys.readouterr().out
    manifest = json.loads((backup / MANIFEST).read_text())
    for name, content in objects.items():  # read from the bucket, as stored there
        assert manifest["files"][name]["sha256"] == hashlib.sha256(content).hexdigest()
        assert manifest["files"][name]["storage"] == "encrypted"

    empty_bucket = f"xaso-restored-{free_port()}-{os.getpid()}"
    client.create_bucket(Bucket=empty_bucket)
    env = {
        **target_environment(tmp_path, url),
        "XASO_FILE_STORAGE": "s3", "XASO_S3_BUCKET": empty_bucket, "XASO_S3_PREFIX": "media",
        "XASO_S3_ENDPOINT_URL": s3_endpoint, "XASO_S3_REGION": S3_KEYS["region"],
        "XASO_S3_ACCESS_KEY": S3_KEYS["access_key"], "XASO_S3_SECRET_KEY": S3_KEYS["secret_key"],
    }  # fmt: skip
    restored = xaso("restore", str(backup), env=env)
    assert restored.returncode == 0, restored.stderr
    assert restored_counts() == row_counts_here()
    for name, content in objects.items():
        copy = client.get_object(Bucket=empty_bucket, Key=f"media/{name}")["Body"].read()
        assert copy == content
    audio_copy = (tmp_path / "restored-media" / audio).read_bytes()  # the default storage's file
    assert audio_copy == WAV


def test_a_backup_with_an_altered_file_is_refused_before_anything_is_restored(
    filed, tmp_path, empty_database, capsys
):
    url, restored_counts = empty_database
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    manifest = json.loads((backup / MANIFEST).read_text())
    name = next(iter(manifest["files"]))
    path = backup / "files" / name
    original = path.read_bytes()
    path.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
    with pytest.raises(CommandError, match="checksum differs"):
        call_command("backup", str(backup), verify=True)

    refused = xaso("restore", str(backup), env=target_environment(tmp_path, url))
    assert (
        refused.returncode != 0 and f"files/{name}: missing or checksum differs" in refused.stderr
    )
    assert restored_counts() == {}  # not one table
    restored_media = tmp_path / "restored-media"
    assert not restored_media.exists() or not any(p.is_file() for p in restored_media.rglob("*"))

    dump = backup / manifest["database"]["file"]
    path.write_bytes(original)  # the files intact again, the dump altered
    call_command("backup", str(backup), verify=True)
    dump.write_bytes(dump.read_bytes() + b"\0")
    with pytest.raises(CommandError, match=f"{dump.name}: checksum differs"):
        call_command("backup", str(backup), verify=True)
    with pytest.raises(CommandError, match="not empty"):  # a backup never overwrites one
        call_command("backup", str(backup))


def test_a_backup_inside_a_transaction_is_refused_at_once_not_left_waiting(db, tmp_path):
    """On SQLite the copy would wait for the transaction's own lock: the round trip that never
    finished."""
    with pytest.raises(BackupError, match="outside any transaction"):
        backup_create(tmp_path / "backup")
    assert not (tmp_path / "backup").exists()
