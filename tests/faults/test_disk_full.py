"""A full disk for uploads: the upload that hits it gets a clear, retryable answer (507
`storage_full`, in Vietnamese, with Retry-After), leaves no half a file and no Upload row; the
files stored before are intact; once space is back, the same upload succeeds.

The disk is real: a 2 MB tmpfs mounted as MEDIA_ROOT (root can mount one here and in CI's
container). Where mounting is not allowed, ENOSPC is raised from inside Django's file write, after
part of the file is on disk, which is what a full filesystem does."""

import errno
import os
import subprocess
import uuid
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.test import Client

from tests.helpers.api import assert_error
from xaso.core.models import AuditEntry
from xaso.dossiers.models import Upload

pytestmark = pytest.mark.faults

UPLOADS = "/api/v1/uploads"


def pdf(size: int) -> bytes:
    """A PDF of about `size` bytes, different every time (the storage sees new bytes)."""
    filler = os.urandom(size // 2).hex().encode()[:size]
    return b"%PDF-1.4\n% " + uuid.uuid4().hex.encode() + b"\n" + filler + b"\n%%EOF\n"


def send(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    scan = SimpleUploadedFile("giay-khai-sinh.pdf", content, content_type="application/pdf")
    return Client().post(UPLOADS, {"file": scan})


def files_under(root: Path) -> set[Path]:
    return {path for path in root.rglob("*") if path.is_file()}


class Disk:
    """MEDIA_ROOT on a small filesystem of its own, and a way to fill it up and free it again."""

    def __init__(self, root: Path, monkeypatch):
        self.root, self.monkeypatch, self.real = root, monkeypatch, False
        self.filler = root / "filler"
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(root)], capture_output=True
        )
        self.real = mounted.returncode == 0

    def fill(self) -> None:
        """Leave about 100 kB free."""
        if self.real:
            free = os.statvfs(self.root).f_bavail * os.statvfs(self.root).f_frsize
            self.filler.write_bytes(b"\0" * (free - 100_000))
            return
        real_save = FileSystemStorage._save

        def full_disk(storage, name, content):  # half written, then no room left
            Path(storage.path(name)).parent.mkdir(parents=True, exist_ok=True)
            Path(storage.path(name)).write_bytes(content.read()[:1000])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        self.monkeypatch.setattr(FileSystemStorage, "_save", full_disk)
        self.real_save = real_save

    def free(self) -> None:
        if self.real:
            self.filler.unlink()
        else:
            self.monkeypatch.setattr(FileSystemStorage, "_save", self.real_save)

    def unmount(self) -> None:
        if self.real:
            subprocess.run(["umount", str(self.root)], check=True)


@pytest.fixture
def disk(tmp_path, settings, monkeypatch):
    root = tmp_path / "media"
    root.mkdir()
    disk = Disk(root, monkeypatch)
    settings.MEDIA_ROOT = str(root)
    yield disk
    disk.unmount()


def test_an_upload_on_a_full_disk_is_refused_cleanly_and_succeeds_once_there_is_room(db, disk):
    before = send(pdf(20_000))
    assert before.status_code == 201, before.content
    stored_before = files_under(disk.root)
    disk.fill()
    scan = pdf(300_000)  # larger than the room left

    refused = send(scan)

    error = assert_error(refused, 507, "storage_full")
    assert "hết chỗ lưu tệp" in error["message"]  # Vietnamese, says what happened
    assert refused["Retry-After"] == "60"
    assert Upload.objects.count() == 1  # no row pointing at nothing
    assert AuditEntry.objects.filter(action="upload.create").count() == 1
    assert files_under(disk.root) == stored_before | ({disk.filler} if disk.real else set())
    kept = Upload.objects.get()
    assert kept.file.open("rb").read().startswith(b"%PDF-1.4")  # the file stored before: intact

    disk.free()
    again = send(scan)
    assert again.status_code == 201, again.content
    assert Upload.objects.count() == 2
    second = Upload.objects.get(token=again.json()["id"])
    assert second.file.open("rb").read() == scan
    assert len(files_under(disk.root)) == 2


def test_the_upload_service_the_pages_call_refuses_the_same_way(db, disk):
    """A DomainError (the pages show its message), never a 500."""
    from xaso.dossiers.uploads import StorageFull, upload_create

    disk.fill()
    with pytest.raises(StorageFull) as refused:
        upload_create(actor=None, data=pdf(300_000))
    assert refused.value.retryable and refused.value.status == 507
    assert not Upload.objects.exists()
    assert files_under(disk.root) == ({disk.filler} if disk.real else set())
