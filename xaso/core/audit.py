"""The hash-chained audit trail: append within the caller's transaction, and verify.

Every service that changes something calls `audit_record` inside its own transaction, so the action
and its audit row commit or roll back together.
"""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from .counters import locked_row
from .models import AuditChainHead, AuditEntry

PERSONAL_DATA_VIEW = "personal_data.view"


def _canonical(value) -> str:
    return json.dumps(
        value, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )


def entry_hash(entry: AuditEntry) -> str:
    payload = _canonical(
        [
            entry.prev_hash,
            entry.chain,
            entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
            entry.actor_id,
            entry.action,
            entry.object_type,
            entry.object_id,
            entry.data,
        ]
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def audit_record(
    *,
    actor,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
    commune_code: str = "",
    data: dict | None = None,
) -> AuditEntry:
    """Append one row to the commune's chain. `actor` is a user or None for the system."""
    # JSON round-trip first, so the hash covers exactly what the database will give back.
    clean_data = json.loads(_canonical(data or {}))
    with transaction.atomic():
        head = locked_row(AuditChainHead, chain=commune_code)
        entry = AuditEntry(
            chain=commune_code,
            at=timezone.now(),
            actor=actor if actor is not None and actor.is_authenticated else None,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            data=clean_data,
            prev_hash=head.last_hash,
        )
        entry.hash = entry_hash(entry)
        entry.save()
        head.last_hash = entry.hash
        head.length += 1
        head.save(update_fields=["last_hash", "length"])
    return entry


def personal_data_view_log(
    *, actor, object_type: str, object_id, fields: list[str], commune_code: str, purpose: str
) -> AuditEntry:
    """Law 91/2025: keep a record of who looked at whose personal data, which fields, and why."""
    return audit_record(
        actor=actor,
        action=PERSONAL_DATA_VIEW,
        object_type=object_type,
        object_id=object_id,
        commune_code=commune_code,
        data={"fields": sorted(fields), "purpose": purpose},
    )


@dataclass(frozen=True)
class ChainBreak:
    chain: str
    entry_id: int | None  # None: the break is at the end of the chain (rows missing there)
    reason: str

    def __str__(self) -> str:
        where = f"row {self.entry_id}" if self.entry_id is not None else "end of chain"
        return f"chain {self.chain or '(deployment)'!r}: {where}: {self.reason}"


def _chain_breaks(chain: str, head: AuditChainHead | None) -> Iterator[ChainBreak]:
    previous_hash, length = "", 0
    rows = AuditEntry.objects.filter(chain=chain).order_by("id").iterator(chunk_size=2000)
    for entry in rows:
        length += 1
        if entry.prev_hash != previous_hash:
            yield ChainBreak(
                chain,
                entry.pk,
                "previous hash does not match (a row before it was removed or changed)",
            )
            return
        if entry_hash(entry) != entry.hash:
            yield ChainBreak(chain, entry.pk, "content does not match its hash (row was edited)")
            return
        previous_hash = entry.hash
    if head is None or head.last_hash != previous_hash or head.length != length:
        yield ChainBreak(chain, None, "chain head does not match the last row (rows removed)")


def audit_verify() -> list[ChainBreak]:
    """Walk every chain; return the first break of each broken chain (empty list: all intact)."""
    heads = {head.chain: head for head in AuditChainHead.objects.all()}
    chains = set(heads) | set(AuditEntry.objects.values_list("chain", flat=True).distinct())
    breaks = []
    for chain in sorted(chains):
        breaks.extend(_chain_breaks(chain, heads.get(chain)))
    return breaks
