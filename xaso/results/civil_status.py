"""The connector to the Ministry of Justice's electronic civil-status system (Hệ thống thông tin
đăng ký và quản lý hộ tịch, Decree 87/2020/NĐ-CP), which makes the register entry of a
civil-status event: its number, its book and, for a birth, the child's personal ID number.

xaso asks the connector for a dossier's entry before signing; it never makes one up. Today the
only implementation is `ManualEntries`: the officer registers the event in the Ministry's system
and types what it gave into xaso (`results.services.register_entry_record`). A connector that
asks the system itself implements the same interface and is chosen with the setting
`XASO_CIVIL_STATUS_SYSTEM` (a dotted path), so that signing does not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from .registers import Register


@dataclass(frozen=True)
class Entry:
    number: str
    book: str
    personal_id: str = ""

    def as_dict(self) -> dict:
        return {"number": self.number, "book": self.book, "personal_id": self.personal_id}


class CivilStatusSystem(Protocol):
    def entry_for(self, dossier, register: Register) -> Entry | None:
        """The dossier's entry in that register, or None while there is none."""


class ManualEntries:
    """The entries the officers recorded (RegisterEntry rows)."""

    def entry_for(self, dossier, register: Register) -> Entry | None:
        from .models import RegisterEntry

        row = RegisterEntry.objects.filter(dossier=dossier, register=register.slug).first()
        if row is None:
            return None
        return Entry(number=row.number, book=row.book, personal_id=row.personal_id)


def civil_status_system() -> CivilStatusSystem:
    path = getattr(settings, "XASO_CIVIL_STATUS_SYSTEM", "")
    return import_string(path)() if path else ManualEntries()
