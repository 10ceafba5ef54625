"""Start and stop real `celery worker` / `celery beat` processes for the integration tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


def wait_for(condition: Callable[[], object], *, timeout: float, what: str, interval: float = 0.1) -> object:
    """Poll `condition` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


@dataclass
class CeleryProcesses:
    env: dict[str, str]
    workdir: Path
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, kind: str) -> subprocess.Popen[bytes]:
        if kind == "worker":
            args = [
                CELERY, "-A", "hrflow_dash", "worker", "-l", "info", "--concurrency", "1",
                "--prefetch-multiplier", "1", "-n", f"it-{uuid.uuid4().hex[:8]}@%h",
                "--without-gossip", "--without-mingle",
            ]  # fmt: skip
        else:
            args = [
                CELERY, "-A", "hrflow_dash", "beat", "-l", "info",
                "-s", str(self.workdir / "beat-schedule"), "--pidfile", str(self.workdir / "beat.pid"),
            ]  # fmt: skip
        log = (self.workdir / f"{kind}.log").open("ab")
        # Own session: SIGKILL reaches the prefork children too, as a real crash would.
        proc = subprocess.Popen(args, cwd=REPO, env=self.env, stdout=log, stderr=log, start_new_session=True)
        self.procs[kind] = proc
        return proc

    def kill(self, kind: str, sig: int = signal.SIGKILL) -> None:
        proc = self.procs.pop(kind, None)
        if proc is None or proc.poll() is not None:
            return
        try:
            if sig == signal.SIGKILL:
                os.killpg(proc.pid, sig)  # a crash takes the prefork children with it
            else:
                proc.send_signal(sig)  # a warm shutdown goes to the main process only
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

    def stop_all(self) -> None:
        for kind in list(self.procs):
            self.kill(kind, signal.SIGTERM)

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-4000:]}"
            for path in self.workdir.glob("*.log")
        )
