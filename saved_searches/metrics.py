"""Prometheus series of saved-search refreshes: due (at scrape time, from the database) vs
queued and refreshed (counted by the tasks), and the refresh lag (the oldest due search)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Min
from django.utils import timezone
from prometheus_client import Counter
from prometheus_client.core import GaugeMetricFamily, Metric

ENQUEUED = Counter("hrflow_dash_saved_searches_enqueued", "Saved-search refreshes queued by the beat tick.")
REFRESHED = Counter(
    "hrflow_dash_saved_search_refreshes",
    "Saved-search refresh tasks run, by outcome (succeeded, failed, deferred, skipped, superseded) "
    "and trigger (beat, manual).",
    ["outcome", "trigger"],
)


class SavedSearchCollector:
    def collect(self) -> Iterator[Metric]:
        from saved_searches.models import SavedSearch

        now = timezone.now()
        due = SavedSearch.objects.filter(next_due_at__lte=now, needs_review=False)
        stats = due.aggregate(oldest=Min("next_due_at"))
        count = GaugeMetricFamily(
            "hrflow_dash_saved_searches_due", "Saved searches due now (not held for review)."
        )
        count.add_metric([], float(due.count()))
        yield count
        lag = GaugeMetricFamily(
            "hrflow_dash_saved_search_oldest_due_age_seconds",
            "How long the oldest due saved search has been due (refresh lag); 0 when none is due.",
        )
        oldest = stats["oldest"]
        lag.add_metric([], max(0.0, (now - oldest).total_seconds()) if oldest else 0.0)
        yield lag
