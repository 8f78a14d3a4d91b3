"""The audit chain becomes an HMAC chain (core/audit.py). Rows already written keep their plain
SHA-256 hashes, untouched (rewriting them would launder any edit made before today); each chain
that has rows gets one `audit.chain_keyed` row, the first keyed one, whose HMAC covers the last
plain hash; every head gets its HMAC."""

from django.db import migrations, models
from django.utils import timezone


def chains_key(apps, schema_editor):
    from xaso.core.audit import CHAIN_KEYED, entry_hash, head_mac

    AuditChainHead = apps.get_model("core", "AuditChainHead")
    AuditEntry = apps.get_model("core", "AuditEntry")
    for head in AuditChainHead.objects.order_by("chain"):
        if head.length:
            marker = AuditEntry(
                chain=head.chain,
                at=timezone.now(),
                actor=None,
                action=CHAIN_KEYED,
                object_type="audit_chain",
                object_id=head.chain,
                data={"scheme": "hmac-sha256", "plain_rows": head.length},
                prev_hash=head.last_hash,
            )
            marker.hash = entry_hash(marker)
            marker.save()
            head.last_hash = marker.hash
            head.length += 1
        head.mac = head_mac(head.chain, head.length, head.last_hash)
        head.save(update_fields=["last_hash", "length", "mac"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_idempotency_created_at_current_time"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditchainhead",
            name="mac",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.RunPython(chains_key, migrations.RunPython.noop),
    ]
