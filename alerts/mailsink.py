"""The demo mail server: aiosmtpd on 127.0.0.1, each message it receives stored as one .eml
file under var/mail/ (what the Outbox page lists). Also the integration tests' SMTP server,
which can hold its reply after storing a message (`hold_replies`): the "SMTP server accepted
it, we never heard" window of docs/alerts.md.
"""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from django.conf import settings

from alerts import conf

MESSAGE_SUFFIX = ".eml"


def mail_dir() -> Path:
    configured = str(conf.get("ALERTS_MAIL_DIR"))
    return Path(configured) if configured else Path(settings.VAR_DIR) / "mail"


class StoreMessages:
    """aiosmtpd handler: writes each message atomically (temporary name, then rename)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.hold_replies = threading.Event()  # set: store, then wait before answering 250
        self.released = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}"
        tmp = self.folder / f".{name}.tmp"
        tmp.write_bytes(envelope.original_content or envelope.content)
        tmp.rename(self.folder / f"{name}{MESSAGE_SUFFIX}")
        if self.hold_replies.is_set():
            await _wait(self.released)
        return "250 Message accepted for delivery"


async def _wait(event: threading.Event) -> None:
    import asyncio

    while not event.is_set():
        await asyncio.sleep(0.05)


def start_sink(*, folder: Path, port: int, host: str = "127.0.0.1") -> tuple[Controller, StoreMessages]:
    handler = StoreMessages(folder)
    controller = Controller(handler, hostname=host, port=port)
    controller.start()
    return controller, handler
