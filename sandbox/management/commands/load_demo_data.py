"""Load boards, sources and algorithms from hrflow_dash.demo and jobs/profiles from the snapshot.

Fresh dates: every job's `created_at`/`updated_at` (and date-typed `ranges_date` bounds) move by
one whole-day offset: by default the snapshot's newest job lands within the last 24 hours and
never in the future; with `--today=YYYY-MM-DD` it is dated that day (tests pin it). The
snapshot itself is unchanged; the offset is stored in
`IndexState.demo_date_offset_days` and printed.

Idempotent: rows are matched by key and only written when something differs, so a second run
(the same day) changes nothing (and does not bump the index version).
"""

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hrflow_dash import demo
from sandbox import conf, snapshot_reader
from sandbox.demo_dates import date_offset_days, shift_job_dates
from sandbox.engine.scoring import ALGORITHM_WEIGHTS
from sandbox.models import Algorithm, Board, IndexState, Job, Profile, Source, bump_index_version
from sandbox.timeutil import parse_hrflow_datetime

BATCH = 2000


class Command(BaseCommand):
    help = "Load the demo snapshot (DEMO_DATA_DIR) into the sandbox database. Idempotent."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--data-dir", default=None, help="snapshot directory (default DEMO_DATA_DIR)")
        parser.add_argument(
            "--today",
            default=None,
            type=dt.date.fromisoformat,
            help="date the newest job is moved to, YYYY-MM-DD (default: today, UTC)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir = Path(options["data_dir"] or conf.demo_data_dir())
        if not (data_dir / "jobs.jsonl.gz").exists():
            raise CommandError(f"no demo snapshot in {data_dir} (jobs.jsonl.gz missing)")
        if options["today"]:
            today: dt.date = options["today"]
            offset = date_offset_days(data_dir, today)
        else:
            now = dt.datetime.now(dt.UTC)
            today = now.date()
            offset = date_offset_days(data_dir, today, now=now)
        with transaction.atomic():
            changed = self._reference_data()
            boards = {b.key: b for b in Board.objects.all()}
            sources = {s.key: s for s in Source.objects.all()}
            jobs = self._jobs(data_dir, boards, offset)
            profiles = self._profiles(data_dir, sources)
            state, _ = IndexState.objects.get_or_create(id=1)
            if state.demo_date_offset_days != offset:
                IndexState.objects.filter(id=1).update(demo_date_offset_days=offset)
                changed += 1
            if changed or jobs or profiles:
                bump_index_version()
        self.stdout.write(
            f"jobs written: {jobs}, profiles written: {profiles}, reference rows: {changed}; "
            f"job dates shifted by {offset} day(s) so the newest job is dated {today.isoformat()}"
            + ("" if options["today"] else " or the day before (never later than now)")
        )

    def _reference_data(self) -> int:
        changed = 0
        for model, table in (
            (Board, demo.DEMO_BOARDS),
            (Source, demo.DEMO_SOURCES),
        ):
            for slug, name in table.items():
                kind = "board" if model is Board else "source"
                obj, created = model.objects.get_or_create(
                    key=demo.demo_key(kind, slug), defaults={"name": name}
                )
                if not created and obj.name != name:
                    obj.name = name
                    obj.save(update_fields=["name"])
                changed += created or obj.name != name
        for slug, name in demo.DEMO_ALGORITHMS.items():
            weights = ALGORITHM_WEIGHTS[slug]
            algo, created = Algorithm.objects.get_or_create(
                key=demo.demo_key("algorithm", slug), defaults={"name": name, "weights": weights}
            )
            if not created and (algo.name, algo.weights) != (name, weights):
                algo.name, algo.weights = name, weights
                algo.save()
                changed += 1
            changed += created
        return changed

    def _jobs(self, data_dir: Path, boards: dict[str, Board], offset: int) -> int:
        def rows() -> Iterator[Job]:
            for snapshot_item in snapshot_reader.iter_jobs(data_dir):
                item = shift_job_dates(snapshot_item, offset)
                board = boards.get(item.get("board_key", ""))
                if board is None:
                    raise CommandError(f"job {item.get('key')}: unknown board_key {item.get('board_key')}")
                yield Job(
                    key=item["key"],
                    board=board,
                    reference=item.get("reference") or "",
                    payload=item,
                    created_at=parse_hrflow_datetime(item["created_at"]),
                    updated_at=parse_hrflow_datetime(item.get("updated_at") or item["created_at"]),
                )

        return _upsert(Job, rows(), ["board", "reference", "payload", "created_at", "updated_at"])

    def _profiles(self, data_dir: Path, sources: dict[str, Source]) -> int:
        def rows() -> Iterator[Profile]:
            for item in snapshot_reader.iter_profiles(data_dir):
                source = sources.get(item.get("source_key", ""))
                if source is None:
                    raise CommandError(
                        f"profile {item.get('key')}: unknown source_key {item.get('source_key')}"
                    )
                info = item.get("info") or {}
                full_name = info.get("full_name") or " ".join(
                    part for part in (info.get("first_name"), info.get("last_name")) if part
                )
                yield Profile(
                    key=item["key"],
                    source=source,
                    reference=item.get("reference") or "",
                    full_name=full_name or "",
                    payload=item,
                    created_at=parse_hrflow_datetime(item["created_at"]),
                    updated_at=parse_hrflow_datetime(item.get("updated_at") or item["created_at"]),
                )

        fields = ["source", "reference", "full_name", "payload", "created_at", "updated_at"]
        return _upsert(Profile, rows(), fields)


def _upsert[M: (Job, Profile)](model: type[M], rows: Iterator[M], fields: list[str]) -> int:
    """Insert rows with a new key, update those whose payload differs; returns the rows written.

    Matching on the payload keeps a second load a no-op (no writes, no index version bump)."""
    existing = {key: (pk, payload) for pk, key, payload in model.objects.values_list("id", "key", "payload")}
    new: list[M] = []
    updated: list[M] = []
    for row in rows:
        known = existing.get(row.key)
        if known is None:
            new.append(row)
        elif known[1] != row.payload:
            row.id = known[0]
            updated.append(row)
    model.objects.bulk_create(new, batch_size=BATCH)
    model.objects.bulk_update(updated, fields, batch_size=BATCH)
    return len(new) + len(updated)
