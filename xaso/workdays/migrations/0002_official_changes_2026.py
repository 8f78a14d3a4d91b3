"""The official 2026 changes to the civil servants' week (national facts every deployment needs)."""

import secrets

from django.db import migrations

from xaso.workdays.official import OFFICIAL_CHANGES_2026, official_changes_load


def load(apps, schema_editor):
    official_changes_load(apps.get_model("workdays", "CalendarChange"), OFFICIAL_CHANGES_2026)
    # Historical models send no signals: move the calendar version here, so running servers
    # pick the rows up at their next check.
    version = apps.get_model("workdays", "CalendarVersion")
    version.objects.update_or_create(pk=1, defaults={"version": secrets.randbits(62) + 1})


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
