from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("saved_searches", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="savedsearch", name="needs_review", field=models.BooleanField(default=False)
        ),
        migrations.AddField(
            model_name="savedsearch",
            name="review_reason",
            field=models.CharField(blank=True, max_length=300),
        ),
    ]
