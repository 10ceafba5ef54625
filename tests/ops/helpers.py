"""Helpers of the ops tests: the production JSON formatter, a refused port, a real web process."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from ops.context import LogContextFilter
from sandbox.devserver import listening_socket

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def json_formatter() -> logging.Formatter:
    """The formatter LOG_FORMAT=json configures (settings.LOGGING), built from the same entry."""
    config = dict(settings.LOGGING["formatters"]["json"])
    factory = import_string(config.pop("()"))
    formatter: logging.Formatter = factory(**config)
    return formatter


class JsonLines(logging.Handler):
    """Collects what the production JSON handler would write, one parsed object per record."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(json_formatter())
        self.addFilter(LogContextFilter())
        self.text: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        line = self.format(record)
        assert "\n" not in line, "one JSON object per line"
        self.text.append(line)

    @property
    def objects(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.text]


@contextmanager
def json_lines(level: int = logging.INFO) -> Iterator[JsonLines]:
    handler = JsonLines()
    handler.setLevel(level)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(min(level, old_level) if old_level else level)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


@contextmanager
def refused_port() -> Iterator[int]:
    """A 127.0.0.1 port bound but not listening: connections are refused, and no other process
    can take the port while the test runs (no race)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    try:
        yield int(sock.getsockname()[1])
    finally:
        sock.close()


def http_get(url: str, headers: dict[str, str] | None = None, timeout: float = 10) -> tuple[int, bytes, Any]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers


@dataclass
class WebProcess:
    url: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_web(
    env: dict[str, str], workdir: Path, *, name: str = "web", extra_args: tuple[str, ...] = ()
) -> WebProcess:
    """The Procfile's web command (gunicorn + gunicorn_conf) on a socket this process bound
    (fd://, no port race), in `workdir`; returns once /healthz answers."""
    workdir.mkdir(parents=True, exist_ok=True)
    listener = listening_socket()
    port = int(listener.getsockname()[1])
    log_path = workdir / f"{name}.log"
    full_env = {"PYTHONUNBUFFERED": "1", **env}
    full_env.pop("DJANGO_SETTINGS_MODULE", None)
    with log_path.open("ab") as log:
        command = [
            str(BIN / "gunicorn"), "hrflow_dash.wsgi", "--config", "python:hrflow_dash.gunicorn_conf",
            "--bind", f"fd://{listener.fileno()}", "--access-logfile", "-",
            "--workers", full_env.get("WEB_CONCURRENCY", "2"), "--threads", full_env.get("WEB_THREADS", "4"),
            *extra_args,
        ]  # fmt: skip
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            pass_fds=(listener.fileno(),),
        )
    listener.close()
    web = WebProcess(f"http://127.0.0.1:{port}/", port, process, log_path)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {process.returncode}:\n{web.log()[-4000:]}")
        try:
            if http_get(web.url + "healthz", timeout=2)[0] == 200:
                return web
        except OSError:
            pass
        time.sleep(0.1)
    web.stop()
    raise AssertionError(f"web not answering /healthz after 90 s:\n{web.log()[-4000:]}")


def base_env(tmp: Path) -> dict[str, str]:
    """Production settings (not the test ones) in a var/ of the test's own."""
    return {
        **os.environ,
        "DJANGO_SECRET_KEY": "ops-test-secret-key-not-used-elsewhere-0123456789",
        "HRFLOW_DASH_VAR_DIR": str(tmp / "var"),
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "CACHE_URL": "locmem://",
        "CELERY_BROKER_URL": "filesystem://",
    }
