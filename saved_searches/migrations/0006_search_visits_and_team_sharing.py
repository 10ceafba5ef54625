"""Team sharing (issue 12 part 3): the placeholder `shared` flag becomes `shared_with` (one of the
owner's teams, a Django group), and the owner's view state moves from the saved search row to
`SearchVisit` (one row per user and search), so teammates keep their own "new since your last
visit". Existing visits are copied over, so no owner's "New" badges change; going back copies
the owner's visit onto the row again (teammates' visits have nowhere to go and are dropped)."""

from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def visits_to_table(apps: Any, schema_editor: Any) -> None:
    SavedSearch = apps.get_model("saved_searches", "SavedSearch")
    SearchVisit = apps.get_model("saved_searches", "SearchVisit")
    rows = SavedSearch.objects.filter(last_viewed_at__isnull=False).values_list(
        "pk", "owner_id", "last_viewed_at", "previous_viewed_at"
    )
    SearchVisit.objects.bulk_create(
        SearchVisit(search_id=pk, user_id=owner, last_viewed_at=last, previous_viewed_at=previous)
        for pk, owner, last, previous in rows.iterator()
    )


def visits_to_rows(apps: Any, schema_editor: Any) -> None:
    SavedSearch = apps.get_model("saved_searches", "SavedSearch")
    SearchVisit = apps.get_model("saved_searches", "SearchVisit")
    for visit in SearchVisit.objects.filter(user_id=models.F("search__owner_id")).iterator():
        SavedSearch.objects.filter(pk=visit.search_id).update(
            last_viewed_at=visit.last_viewed_at, previous_viewed_at=visit.previous_viewed_at
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("saved_searches", "0005_savedsearch_alert_mode"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchVisit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("last_viewed_at", models.DateTimeField()),
                ("previous_viewed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "search",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="visits",
                        to="saved_searches.savedsearch",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("search", "user"), name="searchvisit_one_per_user")
                ],
            },
        ),
        migrations.RunPython(visits_to_table, visits_to_rows),
        migrations.RemoveField(model_name="savedsearch", name="last_viewed_at"),
        migrations.RemoveField(model_name="savedsearch", name="previous_viewed_at"),
        migrations.RemoveField(model_name="savedsearch", name="shared"),
        migrations.AddField(
            model_name="savedsearch",
            name="shared_with",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="shared_searches",
                to="auth.group",
            ),
        ),
    ]
