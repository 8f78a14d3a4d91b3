"""Synchronising dossiers to the National Public Service Portal (Cổng Dịch vụ công quốc gia).

Decision 766 gives 6 transparency points for the share of dossiers synchronised to the National
Portal (docs/index-766.md, CKMB.4). No connection exists yet: the connector is an interface, the
default one sends nothing and leaves every dossier `pending`, and the index counts them as not
synchronised — which is the truth. A real connector implements `send` and is named in the
setting `XASO_NATIONAL_PORTAL_CONNECTOR` (a dotted path).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Dossier, NationalSync


@dataclass(frozen=True)
class SyncAnswer:
    ok: bool
    message: str = ""


class Connector(Protocol):
    def send(self, dossier: Dossier) -> SyncAnswer: ...


class NotConnected:
    """No connection: nothing is sent and the dossier stays pending."""

    def send(self, dossier: Dossier) -> SyncAnswer | None:
        return None


def connector() -> Connector:
    path = getattr(settings, "XASO_NATIONAL_PORTAL_CONNECTOR", "")
    return import_string(path)() if path else NotConnected()


def dossier_sync(dossier: Dossier, *, using: Connector | None = None) -> str:
    """Send one dossier (its code, channel, statuses and times) and record the answer."""
    answer = (using or connector()).send(dossier)
    if answer is None:
        return dossier.national_sync
    status = NationalSync.SYNCED if answer.ok else NationalSync.FAILED
    fields = {"national_sync": status}
    if answer.ok:
        fields["national_synced_at"] = timezone.now()
    Dossier.objects.filter(pk=dossier.pk).update(**fields)
    for field, value in fields.items():
        setattr(dossier, field, value)
    return status
