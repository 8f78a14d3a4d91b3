"""The HMAC-chained audit trail: append within the caller's transaction, and verify.

Every service that changes something calls `audit_record` inside its own transaction, so the action
and its audit row commit or roll back together.

Each row's hash is an HMAC-SHA256 under a key that is not in the database (derived from
XASO_FIELD_KEY: `core.crypto.AUDIT_CHAIN`) over its content and the previous row's hash; the
chain head carries an HMAC of its length and last hash. Whoever can only write the database can
neither edit a row and recompute the hashes after it, nor cut rows off the end, unseen.

Chains begun before the key (plain SHA-256 hashes) were continued by migration
`core.0004_audit_chain_keyed` with one `audit.chain_keyed` row: the rows before it are checked as
plain hashes, that row and every later one as HMACs. Since that row's HMAC covers the last plain
hash, the plain rows cannot be rewritten unseen either; a chain without that row is keyed from
its first row, so removing or renaming the marker is found too.
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
from .crypto import AUDIT_CHAIN, digests_equal, keyed_digest
from .models import AuditChainHead, AuditEntry

PERSONAL_DATA_VIEW = "personal_data.view"
# The row from which a chain begun with plain hashes is keyed (written once, by the migration).
CHAIN_KEYED = "audit.chain_keyed"


def _canonical(value) -> str:
    return json.dumps(
        value, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )


def entry_hash(entry: AuditEntry, *, keyed: bool = True) -> str:
    """The row's HMAC; `keyed=False`: the plain SHA-256 of the rows written before the key."""
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
    if not keyed:
        return hashlib.sha256(payload.encode()).hexdigest()
    return keyed_digest(AUDIT_CHAIN, payload)


def head_mac(chain: str, length: int, last_hash: str) -> str:
    return keyed_digest(AUDIT_CHAIN, _canonical(["head", chain, length, last_hash]))


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
    # No savepoint inside a caller's transaction (two round trips per row saved): a row that
    # cannot be written fails the caller's whole transaction, as a missing audit row must.
    with transaction.atomic(savepoint=False):
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
        head.mac = head_mac(head.chain, head.length, head.last_hash)
        head.save(update_fields=["last_hash", "length", "mac"])
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
    rows = AuditEntry.objects.filter(chain=chain).order_by("id")
    keyed_from = rows.filter(action=CHAIN_KEYED).values_list("id", flat=True).first()
    previous_hash, length = "", 0
    for entry in rows.iterator(chunk_size=2000):
        length += 1
        keyed = keyed_from is None or entry.pk >= keyed_from
        if entry.prev_hash != previous_hash:
            yield ChainBreak(
                chain,
                entry.pk,
                "previous hash does not match (a row before it was removed or changed)",
            )
            return
        if not digests_equal(entry_hash(entry, keyed=keyed), entry.hash):
            yield ChainBreak(chain, entry.pk, "content does not match its hash (row was edited)")
            return
        previous_hash = entry.hash
    if head is None or head.last_hash != previous_hash or head.length != length:
        yield ChainBreak(chain, None, "chain head does not match the last row (rows removed)")
    elif not digests_equal(head_mac(chain, head.length, head.last_hash), head.mac):
        yield ChainBreak(chain, None, "chain head was rewritten (rows removed from the end)")


def audit_verify() -> list[ChainBreak]:
    """Walk every chain; return the first break of each broken chain (empty list: all intact)."""
    heads = {head.chain: head for head in AuditChainHead.objects.all()}
    chains = set(heads) | set(AuditEntry.objects.values_list("chain", flat=True).distinct())
    breaks = []
    for chain in sorted(chains):
        breaks.extend(_chain_breaks(chain, heads.get(chain)))
    return breaks
