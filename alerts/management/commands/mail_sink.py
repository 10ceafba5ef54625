"""`manage.py mail_sink`: the demo mail server (Procfile `mail`), demo mode only."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from alerts import conf
from alerts.mailsink import mail_dir, start_sink


class Command(BaseCommand):
    help = "Receive alert e-mails on 127.0.0.1 and store them under var/mail/ (demo mode only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=int(conf.get("ALERTS_MAIL_SINK_PORT")))

    def handle(self, *args: Any, port: int, **options: Any) -> None:
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        if not settings.DEMO_MODE:
            # honcho stops every process when one exits: stay up, listen on nothing.
            self.stdout.write(
                "mail sink: not in demo mode, nothing to do (production sends through EMAIL_URL)"
            )
            stop.wait()
            return
        folder = mail_dir()
        controller, _ = start_sink(folder=folder, port=port)
        self.stdout.write(f"mail sink: smtp://127.0.0.1:{port}, storing under {folder}", ending="\n")
        self.stdout.flush()
        stop.wait()
        controller.stop()
