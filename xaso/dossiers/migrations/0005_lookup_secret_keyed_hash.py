"""Lookup secrets out of plain text: each becomes a keyed hash (to check it) and a copy encrypted
with the field key (to print it again); the plain column goes (dossiers/secret_store.py)."""

from django.db import migrations, models

BATCH = 500


def secrets_seal(apps, schema_editor):
    from xaso.dossiers import secret_store

    Dossier = apps.get_model("dossiers", "Dossier")
    batch = []
    for dossier in Dossier.objects.only("pk", "lookup_secret").iterator(chunk_size=BATCH):
        dossier.lookup_secret_digest = secret_store.digest(dossier.lookup_secret)
        dossier.lookup_secret_sealed = secret_store.sealed(dossier.lookup_secret)
        batch.append(dossier)
        if len(batch) == BATCH:
            Dossier.objects.bulk_update(batch, ["lookup_secret_digest", "lookup_secret_sealed"])
            batch = []
    Dossier.objects.bulk_update(batch, ["lookup_secret_digest", "lookup_secret_sealed"])


def secrets_open(apps, schema_editor):
    from xaso.dossiers import secret_store

    Dossier = apps.get_model("dossiers", "Dossier")
    batch = []
    for dossier in Dossier.objects.only("pk", "lookup_secret_sealed").iterator(chunk_size=BATCH):
        dossier.lookup_secret = secret_store.opened(dossier.lookup_secret_sealed)
        batch.append(dossier)
    Dossier.objects.bulk_update(batch, ["lookup_secret"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0004_dossier_result_delivery"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="lookup_secret_digest",
            field=models.CharField(
                default="", max_length=64, verbose_name="lookup secret (keyed hash)"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="dossier",
            name="lookup_secret_sealed",
            field=models.TextField(default="", verbose_name="lookup secret (encrypted)"),
            preserve_default=False,
        ),
        migrations.RunPython(secrets_seal, secrets_open),
        # A default only so that going back can add the column again before refilling it.
        migrations.AlterField(
            model_name="dossier",
            name="lookup_secret",
            field=models.CharField(default="", max_length=16, verbose_name="lookup secret"),
        ),
        migrations.RemoveField(
            model_name="dossier",
            name="lookup_secret",
        ),
    ]
