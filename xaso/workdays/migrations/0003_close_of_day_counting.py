from django.db import migrations, models


class Migration(migrations.Migration):
    """Limits in days end at the close of their last day (the law); counting hour for hour is
    the commune's option. The old "round up" switch has no meaning any more: every commune
    starts on the lawful default."""

    dependencies = [
        ("workdays", "0002_official_changes_2026"),
    ]

    operations = [
        migrations.RemoveField(model_name="calendarsettings", name="round_up_to_end_of_day"),
        migrations.AddField(
            model_name="calendarsettings",
            name="hour_for_hour",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Off (the law's way): a limit in days ends at the close of office hours of "
                    "its last day. On: 3 working days from Monday 10:00 end on Thursday at 10:00."
                ),
                verbose_name="count working days hour for hour",
            ),
        ),
    ]
