from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("saved_searches", "0004_upstream_token_moves_to_scoring")]

    operations = [
        migrations.AddField(
            model_name="savedsearch",
            name="alert_mode",
            field=models.CharField(
                choices=[
                    ("off", "Off"),
                    ("each", "After each refresh"),
                    ("daily", "Daily digest"),
                    ("weekly", "Weekly digest"),
                ],
                default="off",
                max_length=8,
            ),
        ),
    ]
