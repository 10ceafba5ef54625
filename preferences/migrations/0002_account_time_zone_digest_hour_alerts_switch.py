from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("preferences", "0001_preferences_and_recent_searches")]

    operations = [
        migrations.AddField(
            model_name="userpreferences",
            name="time_zone",
            field=models.CharField(default="UTC", max_length=64),
        ),
        migrations.AddField(
            model_name="userpreferences",
            name="digest_hour",
            field=models.PositiveSmallIntegerField(default=8),
        ),
        migrations.AddField(
            model_name="userpreferences",
            name="alerts_enabled",
            field=models.BooleanField(default=True),
        ),
    ]
