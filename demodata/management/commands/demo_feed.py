"""`manage.py demo_feed [--batch N]`: index the next demo feed jobs once, without Celery."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demodata.feed import demo_feed_index_next
from scoring.hrflow.errors import HrFlowError


class Command(BaseCommand):
    help = "Index the next N held-back demo listings (data/demo/feed.jsonl.gz) into their boards."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--batch", type=int, default=int(getattr(settings, "DEMO_FEED_BATCH", 3)), help="jobs to index"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1")
        try:
            references = demo_feed_index_next(batch=options["batch"])
        except HrFlowError as exc:
            raise CommandError(f"demo feed failed: {exc}") from None
        if references:
            self.stdout.write(f"indexed {len(references)} job(s): {', '.join(references)}")
        else:
            self.stdout.write("indexed 0 jobs: the demo feed is fully indexed")
