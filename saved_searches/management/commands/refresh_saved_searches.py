"""Refresh saved searches in this process, without Celery (same service as the worker)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from saved_searches.models import SavedSearch, Trigger
from saved_searches.services.claim import saved_search_due_ids
from saved_searches.services.refresh import saved_search_refresh


class Command(BaseCommand):
    help = "Refresh saved searches now: --due (default), --all, or --id N."

    def add_arguments(self, parser: ArgumentParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--due", action="store_true", help="only searches that are due (default)")
        group.add_argument("--all", action="store_true", help="every search, due or not (leases respected)")
        group.add_argument("--id", type=int, action="append", dest="ids", help="this search (repeatable)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["ids"]:
            ids = list(options["ids"])
            missing = set(ids) - set(SavedSearch.objects.filter(pk__in=ids).values_list("pk", flat=True))
            if missing:
                raise CommandError(f"no saved search with id {', '.join(map(str, sorted(missing)))}")
            self._make_due(ids)
        elif options["all"]:
            ids = list(SavedSearch.objects.order_by("pk").values_list("pk", flat=True))
            self._make_due(ids)
        else:
            ids = saved_search_due_ids()
        counts: dict[str, int] = {}
        for pk in ids:
            outcome = saved_search_refresh(search_id=pk, trigger=Trigger.COMMAND)
            counts[outcome] = counts.get(outcome, 0) + 1
            self.stdout.write(f"{pk}: {outcome}")
        summary = ", ".join(f"{n} {name}" for name, n in sorted(counts.items())) or "nothing due"
        self.stdout.write(self.style.SUCCESS(f"{len(ids)} saved search(es): {summary}"))

    def _make_due(self, ids: list[int]) -> None:
        # Explicitly asked for: due now, unless a live lease says a worker is on it.
        now = timezone.now()
        SavedSearch.objects.filter(pk__in=ids, next_due_at__isnull=True).update(next_due_at=now)
        SavedSearch.objects.filter(pk__in=ids, next_due_at__gt=now).update(next_due_at=now)
