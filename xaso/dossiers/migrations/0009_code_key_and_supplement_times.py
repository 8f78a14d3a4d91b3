import re
import unicodedata

from django.db import migrations, models


def code_key(text):
    # A copy of codes.code_key as it was when this migration was written.
    return re.sub(r"[^0-9A-Z]", "", unicodedata.normalize("NFKC", text or "").upper())


def fill(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    DossierEvent = apps.get_model("dossiers", "DossierEvent")
    for dossier in Dossier.objects.iterator():
        dossier.code_key = code_key(dossier.code)
        if dossier.state in ("supplement_requested", "paused"):
            request = (
                DossierEvent.objects.filter(dossier_id=dossier.pk, action="request_supplement")
                .order_by("-id")
                .first()
            )
            dossier.supplement_requested_at = request.at if request else None
        elif dossier.state == "submitted":  # back from a supplement request, not yet received
            answer = (
                DossierEvent.objects.filter(dossier_id=dossier.pk, action="resubmit")
                .order_by("-id")
                .first()
            )
            dossier.supplement_answered_at = answer.at if answer else None
        dossier.save(
            update_fields=["code_key", "supplement_requested_at", "supplement_answered_at"]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0008_post_channel_procedure_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="code_key",
            field=models.CharField(
                db_index=True,
                default="",
                editable=False,
                max_length=48,
                verbose_name="code for lookups",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="dossier",
            name="supplement_requested_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="supplement requested"
            ),
        ),
        migrations.AddField(
            model_name="dossier",
            name="supplement_answered_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="supplement answered"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
