"""Bulletins are approved before they play (the leader or the culture officer); the bulletins
written before this step existed are taken as approved when they were written."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def approve_existing(apps, schema_editor):
    Bulletin = apps.get_model("news", "Bulletin")
    Bulletin.objects.filter(approved_at__isnull=True).update(
        approved_at=F("created_at"), approved_by=F("created_by")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="bulletin",
            name="approved_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="approved"),
        ),
        migrations.AddField(
            model_name="bulletin",
            name="approved_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(approve_existing, migrations.RunPython.noop),
    ]
